-- A contact's own time zone overrides the one guessed from the area code for quiet hours.

ALTER TABLE "Contacts" ADD COLUMN "TimeZone" text NULL;
