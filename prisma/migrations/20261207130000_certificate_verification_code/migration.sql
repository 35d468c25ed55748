-- Certificates are verified by an unguessable code, not by their sequential number (issue 14 item 7).
-- (No semicolons in these comments: the migration runner splits the script at every one.)
-- AlterTable: added empty, filled for the certificates already issued, then required.
ALTER TABLE "certificate" ADD COLUMN     "verification_code" TEXT;

-- Existing certificates get a code like those the application makes (lib/certificates/verificationCode.ts):
-- 18 random bytes, base64url, 24 characters. gen_random_uuid() is core PostgreSQL (13+) and
-- PGlite. A v4 UUID has 122 random bits, so 16 bytes of one and the first 2 (random) bytes of a
-- second give 138 random bits.
UPDATE "certificate"
SET "verification_code" = translate(
  encode(decode(substr(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 1, 36), 'hex'), 'base64'),
  '+/', '-_');

ALTER TABLE "certificate" ALTER COLUMN "verification_code" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "certificate_verification_code_key" ON "certificate"("verification_code");
