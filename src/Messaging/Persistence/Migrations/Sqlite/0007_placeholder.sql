-- TEMP placeholder (branch trust2): another branch's migration number; dropped when merging.
SELECT 1;
