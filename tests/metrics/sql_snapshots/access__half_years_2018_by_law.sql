WITH "t19" AS (
  SELECT
    "t6"."source",
    "t6"."request_id",
    "t6"."client_key",
    "t6"."law",
    "t6"."kind",
    "t6"."team",
    "t6"."received_on",
    "t6"."decided_on",
    "t6"."outcome",
    "t6"."suspended_days",
    "t6"."extended_days",
    "t6"."product_category",
    "t6"."plan_on",
    "t6"."birth_date",
    "t6"."k_applies",
    "t6"."k_category",
    "t6"."k_provider",
    "t18"."law" AS "law_right",
    "t18"."applies_to",
    "t18"."norm_category",
    "t18"."norm_provider",
    "t18"."norm_days"
  FROM (
    SELECT
      "t1"."source",
      "t1"."request_id",
      "t1"."client_key",
      "t1"."law",
      "t1"."kind",
      "t1"."team",
      "t1"."received_on",
      "t1"."decided_on",
      "t1"."outcome",
      "t1"."suspended_days",
      "t1"."extended_days",
      "t1"."product_category",
      "t1"."plan_on",
      "t1"."birth_date",
      "t1"."kind" AS "k_applies",
      COALESCE("t1"."product_category", '') AS "k_category",
      COALESCE(CAST(NULL AS TEXT), '') AS "k_provider"
    FROM "request_versions" AS "t1"
    WHERE
      "t1"."superseded_at" IS NULL
  ) AS "t6"
  LEFT OUTER JOIN (
    SELECT
      "t16"."k_law" AS "law",
      "t16"."k_applies" AS "applies_to",
      "t16"."norm_category",
      "t16"."norm_provider",
      "t16"."norm_days"
    FROM (
      SELECT
        "t15"."k_law",
        "t15"."k_applies",
        "t15"."norm_category",
        "t15"."norm_provider",
        "t15"."n_law",
        "t15"."n_applies",
        "t15"."n_category",
        "t15"."n_provider",
        "t15"."norm_days",
        "t15"."n_loaded",
        ROW_NUMBER() OVER (
          PARTITION BY "t15"."k_law", "t15"."k_applies", "t15"."norm_category", "t15"."norm_provider"
          ORDER BY (
            CAST("t15"."n_provider" <> '' AS BIGINT) * 2
          ) + CAST("t15"."n_category" <> '' AS BIGINT) DESC, "t15"."n_loaded" DESC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) - 1 AS "pick"
      FROM (
        SELECT
          "t8"."k_law",
          "t8"."k_applies",
          "t8"."norm_category",
          "t8"."norm_provider",
          "t14"."n_law",
          "t14"."n_applies",
          "t14"."n_category",
          "t14"."n_provider",
          "t14"."norm_days",
          "t14"."n_loaded"
        FROM (
          SELECT DISTINCT
            "t1"."law" AS "k_law",
            "t1"."kind" AS "k_applies",
            COALESCE(COALESCE("t1"."product_category", ''), '') AS "norm_category",
            COALESCE(COALESCE(CAST(NULL AS TEXT), ''), '') AS "norm_provider"
          FROM "request_versions" AS "t1"
          WHERE
            "t1"."superseded_at" IS NULL
        ) AS "t8"
        INNER JOIN (
          SELECT
            "t12"."law" AS "n_law",
            "t12"."applies_to" AS "n_applies",
            COALESCE(CAST("t12"."product_category" AS TEXT), '') AS "n_category",
            COALESCE(CAST("t12"."provider_code" AS TEXT), '') AS "n_provider",
            CAST("t12"."days" AS BIGINT) AS "norm_days",
            TRUE AS "n_loaded"
          FROM (
            SELECT
              "t11".*
              EXCLUDE ("_n")
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t4"."law",
                  "t4"."product_category",
                  "t4"."provider_code",
                  "t4"."applies_to",
                  "t4"."shipped",
                  "t4"."days",
                  "t4"."basis",
                  "t4"."load_id",
                  "t4"."known_from",
                  "t4"."superseded_at",
                  "t4"."superseded_by",
                  "t4"."source_row",
                  ROW_NUMBER() OVER (
                    PARTITION BY "t4"."law", "t4"."product_category", "t4"."provider_code", "t4"."applies_to"
                    ORDER BY "t4"."shipped" ASC, "t4"."load_id" DESC
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                  ) - 1 AS "_n"
                FROM (
                  SELECT
                    *
                  FROM "norm_versions" AS "t2"
                  WHERE
                    "t2"."superseded_at" IS NULL
                ) AS "t4"
              ) AS "t10"
              WHERE
                "t10"."_n" = 0
            ) AS "t11"
          ) AS "t12"
        ) AS "t14"
          ON "t8"."k_law" = "t14"."n_law"
          AND "t8"."k_applies" = "t14"."n_applies"
          AND (
            (
              "t14"."n_category" = ''
            ) OR (
              "t14"."n_category" = "t8"."norm_category"
            )
          )
          AND (
            (
              "t14"."n_provider" = ''
            ) OR (
              "t14"."n_provider" = "t8"."norm_provider"
            )
          )
      ) AS "t15"
    ) AS "t16"
    WHERE
      "t16"."pick" = 0
  ) AS "t18"
    ON "t6"."law" = "t18"."law"
    AND "t6"."k_applies" = "t18"."applies_to"
    AND "t6"."k_category" = "t18"."norm_category"
    AND "t6"."k_provider" = "t18"."norm_provider"
)
SELECT
  *
FROM (
  SELECT
    "t35"."slot",
    "t35"."law",
    SUM("t35"."new_requests") AS "new_requests",
    SUM("t35"."broad_inquiries") AS "broad_inquiries",
    SUM("t35"."support_plans") AS "support_plans"
  FROM (
    SELECT
      "t34".*
      EXCLUDE ("slot_index")
    FROM (
      SELECT
        "t33"."day",
        "t33"."team",
        "t33"."law",
        "t33"."new_requests",
        "t33"."broad_inquiries",
        "t33"."support_plans",
        "t33"."slot_index",
        "t9"."slot",
        "t9"."slot_first",
        "t9"."slot_last"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t30"."day",
            "t30"."team",
            "t30"."law",
            "t30"."new_requests",
            "t30"."broad_inquiries",
            "t30"."support_plans",
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t30"."day") * 12
                    ) + EXTRACT(month FROM "t30"."day")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) AS "slot_index"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t24"."plan_on" AS "day",
                COALESCE("t24"."team", 'onbekend') AS "team",
                "t24"."law",
                0 AS "new_requests",
                0 AS "broad_inquiries",
                1 AS "support_plans"
              FROM (
                SELECT
                  "t22"."source",
                  "t22"."request_id",
                  "t22"."client_key",
                  "t22"."law",
                  "t22"."kind",
                  "t22"."team",
                  "t22"."received_on",
                  "t22"."decided_on",
                  "t22"."outcome",
                  "t22"."suspended_days",
                  "t22"."extended_days",
                  "t22"."product_category",
                  "t22"."plan_on",
                  "t22"."birth_date",
                  "t22"."term_days",
                  "t22"."allowed_days",
                  ROW_NUMBER() OVER (
                    PARTITION BY "t22"."client_key", "t22"."law", "t22"."plan_on"
                    ORDER BY "t22"."received_on" ASC, CASE WHEN "t22"."kind" = 'melding' THEN 0 ELSE 1 END ASC, "t22"."source" ASC, "t22"."request_id" ASC
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                  ) - 1 AS "pick"
                FROM (
                  SELECT
                    "t20"."source",
                    "t20"."request_id",
                    "t20"."client_key",
                    "t20"."law",
                    "t20"."kind",
                    "t20"."team",
                    "t20"."received_on",
                    "t20"."decided_on",
                    "t20"."outcome",
                    "t20"."suspended_days",
                    "t20"."extended_days",
                    "t20"."product_category",
                    "t20"."plan_on",
                    "t20"."birth_date",
                    "t20"."norm_days" AS "term_days",
                    "t20"."norm_days" + (
                      COALESCE("t20"."suspended_days", 0) + COALESCE("t20"."extended_days", 0)
                    ) AS "allowed_days"
                  FROM "t19" AS "t20"
                  WHERE
                    "t20"."plan_on" IS NOT NULL
                ) AS "t22"
              ) AS "t24"
              WHERE
                "t24"."pick" = 0
            ) AS "t26"
            UNION ALL
            SELECT
              *
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t27"."received_on" AS "day",
                  COALESCE("t27"."team", 'onbekend') AS "team",
                  "t27"."law",
                  CAST("t27"."is_new" AS BIGINT) AS "new_requests",
                  0 AS "broad_inquiries",
                  0 AS "support_plans"
                FROM (
                  SELECT
                    "t25".*
                    EXCLUDE ("r_team")
                  FROM (
                    SELECT
                      "t23"."source",
                      "t23"."request_id",
                      "t23"."client_key",
                      "t23"."law",
                      "t23"."kind",
                      "t23"."team",
                      "t23"."received_on",
                      "t23"."decided_on",
                      "t23"."outcome",
                      "t23"."suspended_days",
                      "t23"."extended_days",
                      "t23"."product_category",
                      "t23"."plan_on",
                      "t23"."birth_date",
                      "t23"."term_days",
                      "t23"."allowed_days",
                      "t23"."r_team",
                      (
                        LAG("t23"."received_on") OVER (
                          PARTITION BY "t23"."client_key", "t23"."law", "t23"."r_team"
                          ORDER BY "t23"."received_on" ASC, CASE WHEN "t23"."kind" = 'melding' THEN 0 ELSE 1 END ASC, "t23"."source" ASC, "t23"."request_id" ASC
                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                        ) IS NULL
                      )
                      OR (
                        DATE_DIFF(
                          'DAY',
                          LAG("t23"."received_on") OVER (
                            PARTITION BY "t23"."client_key", "t23"."law", "t23"."r_team"
                            ORDER BY "t23"."received_on" ASC, CASE WHEN "t23"."kind" = 'melding' THEN 0 ELSE 1 END ASC, "t23"."source" ASC, "t23"."request_id" ASC
                            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                          ),
                          "t23"."received_on"
                        ) > 91
                      ) AS "is_new"
                    FROM (
                      SELECT
                        "t20"."source",
                        "t20"."request_id",
                        "t20"."client_key",
                        "t20"."law",
                        "t20"."kind",
                        "t20"."team",
                        "t20"."received_on",
                        "t20"."decided_on",
                        "t20"."outcome",
                        "t20"."suspended_days",
                        "t20"."extended_days",
                        "t20"."product_category",
                        "t20"."plan_on",
                        "t20"."birth_date",
                        "t20"."norm_days" AS "term_days",
                        "t20"."norm_days" + (
                          COALESCE("t20"."suspended_days", 0) + COALESCE("t20"."extended_days", 0)
                        ) AS "allowed_days",
                        COALESCE("t20"."team", 'onbekend') AS "r_team"
                      FROM "t19" AS "t20"
                    ) AS "t23"
                  ) AS "t25"
                ) AS "t27"
              ) AS "t28"
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  "t20"."decided_on" AS "day",
                  COALESCE("t20"."team", 'onbekend') AS "team",
                  "t20"."law",
                  0 AS "new_requests",
                  1 AS "broad_inquiries",
                  0 AS "support_plans"
                FROM "t19" AS "t20"
                WHERE
                  "t20"."kind" = 'melding'
                  AND "t20"."decided_on" IS NOT NULL
                  AND (
                    (
                      "t20"."outcome" IS NULL
                    ) OR (
                      "t20"."outcome" <> 'ingetrokken'
                    )
                  )
              ) AS "t21"
            ) AS "t29"
          ) AS "t30"
        ) AS "t31"
        WHERE
          "t31"."slot_index" >= 0 AND "t31"."slot_index" < 2
      ) AS "t33"
      INNER JOIN (
        SELECT
          "t0"."slot",
          "t0"."slot_first",
          "t0"."slot_last",
          ROW_NUMBER() OVER (
            ORDER BY "t0"."slot_first" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) - 1 AS "slot_index"
        FROM "memtable_1" AS "t0"
      ) AS "t9"
        ON "t33"."slot_index" = "t9"."slot_index"
    ) AS "t34"
  ) AS "t35"
  GROUP BY
    1,
    2
) AS "t36"
