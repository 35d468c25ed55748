-- CreateTable
CREATE TABLE "survey_response_scale" (
    "response_id" UUID NOT NULL,
    "survey_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "answered_on" DATE NOT NULL,
    "pairing_code" TEXT,
    "answers" SMALLINT[],

    CONSTRAINT "survey_response_scale_pkey" PRIMARY KEY ("response_id")
);

-- AddForeignKey
ALTER TABLE "survey_response_scale" ADD CONSTRAINT "survey_response_scale_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "survey_response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The scale rows of the given responses: each answer to a scale question of the response's survey
-- version, in the definition's order of its scale questions, null when not answered. A scale answer
-- is stored as a whole number 1–5 (lib/surveys/definitions.ts): anything else counts as unanswered,
-- so no stored response can make an insert fail here.
CREATE FUNCTION "survey_response_scale_add"("response_ids" UUID[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "survey_response_scale" ("response_id", "survey_id", "course_id", "answered_on", "pairing_code", "answers")
  SELECT r."id", r."survey_id", r."course_id", r."answered_on", r."pairing_code",
    ARRAY(
      SELECT CASE WHEN r."answers" -> q."id" IN ('1', '2', '3', '4', '5') THEN (r."answers" -> q."id")::numeric::smallint END
      FROM unnest(s."question_ids") WITH ORDINALITY AS q("id", "position")
      ORDER BY q."position")
  FROM unnest("response_ids") AS n("id")
  JOIN "survey_response" r ON r."id" = n."id"
  JOIN (
    SELECT d."id", coalesce(array_agg(e."question" ->> 'id' ORDER BY e."position") FILTER (WHERE e."question" ->> 'type' = 'scale'), '{}') AS "question_ids"
    FROM "survey_definition" d, jsonb_array_elements(d."questions") WITH ORDINALITY AS e("question", "position")
    GROUP BY d."id"
  ) s ON s."id" = r."survey_id"
$$;

-- Every writer of survey_response (the answer form, seeds, the bench's SQL, tests) keeps
-- survey_response_scale right without knowing of it. Per statement, so a bulk insert adds its rows
-- in one INSERT. An update rewrites the rows of the responses it touched (old and new ids, as the
-- foreign key has already moved a row to a changed id). A delete cascades.
-- The body is an escaped string with \073 for each semicolon: Prisma's migration runner
-- (adapter-pg) cuts a script at every semicolon, even inside a dollar-quoted body.
CREATE FUNCTION "survey_response_scale_sync"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = \'UPDATE\' THEN
    DELETE FROM "survey_response_scale"
    WHERE "response_id" IN (SELECT "id" FROM "old_responses" UNION SELECT "id" FROM "new_responses")\073
  END IF\073
  PERFORM "survey_response_scale_add"(ARRAY(SELECT "id" FROM "new_responses"))\073
  RETURN NULL\073
END';

-- One trigger per event: PostgreSQL refuses transition tables on a trigger for several events.
CREATE TRIGGER "survey_response_scale_insert" AFTER INSERT ON "survey_response"
    REFERENCING NEW TABLE AS "new_responses"
    FOR EACH STATEMENT EXECUTE FUNCTION "survey_response_scale_sync"();

CREATE TRIGGER "survey_response_scale_update" AFTER UPDATE ON "survey_response"
    REFERENCING OLD TABLE AS "old_responses" NEW TABLE AS "new_responses"
    FOR EACH STATEMENT EXECUTE FUNCTION "survey_response_scale_sync"();

-- The responses given before this migration.
SELECT "survey_response_scale_add"(ARRAY(SELECT "id" FROM "survey_response"));
