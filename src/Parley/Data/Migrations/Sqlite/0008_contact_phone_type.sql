-- The kind of line each contact number is (Mobile, FixedLine, TollFree…), as libphonenumber classifies it.
-- Set when a phone is added; numbers stored before this script have none.

ALTER TABLE "ContactPhones" ADD COLUMN "Type" TEXT NULL;
