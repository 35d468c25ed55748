-- e-ID login (issue 15): a personnummer proved by e-legitimation, and the provider of a session.
ALTER TABLE "person" ADD COLUMN "personnummer_verified_at" TIMESTAMP(3);

ALTER TABLE "web_session" ADD COLUMN "oidc_provider" TEXT,
ADD COLUMN "id_token" TEXT;
