-- AlterTable
ALTER TABLE "course" ADD COLUMN     "required_attendance_percent" INTEGER NOT NULL DEFAULT 80;


-- A share of sessions: never below none or above all of them.
ALTER TABLE "course" ADD CONSTRAINT "course_required_attendance_percent_range" CHECK ("required_attendance_percent" BETWEEN 0 AND 100);
