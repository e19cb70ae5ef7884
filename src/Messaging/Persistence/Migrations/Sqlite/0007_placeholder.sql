-- TEMP placeholder 0007 (dropped at merge: another branch adds the real 0007).
SELECT 1;
