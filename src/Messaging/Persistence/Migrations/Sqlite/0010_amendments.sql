-- PLACEHOLDER on branch summary4 only: migration 0010 belongs to branch amend4 (0010_amendments.sql), which replaces
-- this file when the branches merge (take amend4's version). It exists so that 0011 follows without a gap here.
SELECT 1;
