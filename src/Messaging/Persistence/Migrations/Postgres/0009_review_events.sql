-- SecureDialogue Messaging, migration 0009 (PostgreSQL): stage changes and disclosure policy statements in review_events.
-- Review events are one record (Reviews/Events/IReviewEventLog): every stage change and disclosure policy statement is
-- now also a row of review_events, like the trust events. This copies the ones stored before, after each review's
-- existing events, in time order. Their archive entries were written when they were stored.

INSERT INTO review_events (review_id, position, kind, actor_account, state_code, subject_account, subject_device, detail, at)
SELECT e.review_id,
       COALESCE((SELECT MAX(r.position) FROM review_events r WHERE r.review_id = e.review_id), 0)
           + ROW_NUMBER() OVER (PARTITION BY e.review_id ORDER BY e.at, e.kind, e.ord),
       e.kind, e.actor, e.state_code, NULL, e.device, e.detail, e.at
FROM (
    SELECT s.review_id, 'stage-changed' AS kind, s.account_id AS actor, NULL AS state_code, NULL AS device,
           (CASE s.from_stage WHEN 0 THEN 'not-started' WHEN 1 THEN 'preliminary-consultation' WHEN 2 THEN 'self-assessment'
                WHEN 3 THEN 'written-feedback' WHEN 4 THEN 'constructive-dialogue' WHEN 5 THEN 'list-of-observations'
                WHEN 6 THEN 'summary' ELSE 'finalised' END)
           || ' > ' ||
           (CASE s.to_stage WHEN 0 THEN 'not-started' WHEN 1 THEN 'preliminary-consultation' WHEN 2 THEN 'self-assessment'
                WHEN 3 THEN 'written-feedback' WHEN 4 THEN 'constructive-dialogue' WHEN 5 THEN 'list-of-observations'
                WHEN 6 THEN 'summary' ELSE 'finalised' END) AS detail,
           s.occurred_at AS at, s.sequence AS ord
    FROM review_stage_events s
    UNION ALL
    SELECT p.review_id, 'policy-set', p.signer_account,
           (SELECT t.state_code FROM review_states t WHERE t.review_id = p.review_id AND t.role = 1),
           p.signer_device,
           'version ' || CAST(p.version AS TEXT) || ': '
           || (CASE p.metadata_level WHEN 1 THEN 'per-person' WHEN 2 THEN 'per-state' ELSE 'counts-only' END)
           || ', content: ' || (CASE WHEN p.content_channels = '' THEN 'none' ELSE REPLACE(p.content_channels, ',', ' ') END),
           p.stored_at, p.version
    FROM disclosure_policies p
) e;
