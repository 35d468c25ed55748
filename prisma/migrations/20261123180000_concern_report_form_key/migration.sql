-- A report of concern sent twice from the same form (a double click, a retry) is stored once.
ALTER TABLE "concern_report" ADD COLUMN "form_key" UUID;
CREATE UNIQUE INDEX "concern_report_form_key_key" ON "concern_report"("form_key");
