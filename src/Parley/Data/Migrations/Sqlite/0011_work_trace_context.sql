-- The W3C trace context (traceparent) of the request or work that queued an item: its run joins that trace.

ALTER TABLE "WorkItems" ADD COLUMN "TraceParent" TEXT NULL;
