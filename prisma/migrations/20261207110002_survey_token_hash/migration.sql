-- Survey invitation tokens stored hashed, like login and consent tokens (issue 14, finding 10).
-- Existing tokens are hashed in place with the app's hash (SHA-256 of the UTF-8 token, in hex:
-- lib/crypto.ts sha256), so a link already handed out keeps working, and no plain token remains.
-- PostgreSQL's built-in sha256() (11+) needs no extension.

-- AlterTable
ALTER TABLE "survey_invitation" ADD COLUMN "token_hash" TEXT;
UPDATE "survey_invitation" SET "token_hash" = encode(sha256(convert_to("token", 'UTF8')), 'hex');
ALTER TABLE "survey_invitation" ALTER COLUMN "token_hash" SET NOT NULL;

-- DropIndex
DROP INDEX "survey_invitation_token_key";
ALTER TABLE "survey_invitation" DROP COLUMN "token";

-- CreateIndex
CREATE UNIQUE INDEX "survey_invitation_token_hash_key" ON "survey_invitation"("token_hash");
