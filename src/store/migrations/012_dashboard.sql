-- The supervisor dashboard's period figures (issue 14 item 10): applications answered or closed
-- by day, and closings by user, without reading every row.
CREATE INDEX applications_resolved_at ON applications(coalesce(responded_at, closed_at))
    WHERE status IN ('resolved', 'closed');
CREATE INDEX events_closed_at ON events(at) WHERE to_status = 'closed';
