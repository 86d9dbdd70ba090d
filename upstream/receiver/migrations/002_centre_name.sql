-- The centre's name as its controller announces it (status birth, optional since v1 allows it),
-- so the province page shows names rather than ids.
ALTER TABLE centres ADD COLUMN IF NOT EXISTS name text;
