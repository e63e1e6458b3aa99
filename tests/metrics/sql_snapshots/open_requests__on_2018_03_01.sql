SELECT
  "t23"."slot",
  "t23"."open",
  "t23"."over_term",
  CAST(ROUND("t23"."mean_days_open", 1) AS DOUBLE) AS "mean_days_open"
FROM (
  SELECT
    "t22"."slot",
    COUNT(*) AS "open",
    SUM(CAST("t22"."days_open" > "t22"."allowed_days" AS BIGINT)) AS "over_term",
    AVG(CAST("t22"."days_open" AS DOUBLE)) AS "mean_days_open"
  FROM (
    SELECT
      "t21"."source",
      "t21"."request_id",
      "t21"."client_key",
      "t21"."law",
      "t21"."kind",
      "t21"."team",
      "t21"."received_on",
      "t21"."decided_on",
      "t21"."outcome",
      "t21"."suspended_days",
      "t21"."extended_days",
      "t21"."product_category",
      "t21"."plan_on",
      "t21"."birth_date",
      "t21"."term_days",
      "t21"."allowed_days",
      "t21"."slot",
      "t21"."slot_first",
      "t21"."slot_last",
      DATE_DIFF('DAY', "t21"."received_on", "t21"."slot_last") AS "days_open"
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
        "t20"."term_days",
        "t20"."allowed_days",
        "t3"."slot",
        "t3"."slot_first",
        "t3"."slot_last"
      FROM (
        SELECT
          "t18"."source",
          "t18"."request_id",
          "t18"."client_key",
          "t18"."law",
          "t18"."kind",
          "t18"."team",
          "t18"."received_on",
          "t18"."decided_on",
          "t18"."outcome",
          "t18"."suspended_days",
          "t18"."extended_days",
          "t18"."product_category",
          "t18"."plan_on",
          "t18"."birth_date",
          "t18"."norm_days" AS "term_days",
          "t18"."norm_days" + (
            COALESCE("t18"."suspended_days", 0) + COALESCE("t18"."extended_days", 0)
          ) AS "allowed_days"
        FROM (
          SELECT
            "t7"."source",
            "t7"."request_id",
            "t7"."client_key",
            "t7"."law",
            "t7"."kind",
            "t7"."team",
            "t7"."received_on",
            "t7"."decided_on",
            "t7"."outcome",
            "t7"."suspended_days",
            "t7"."extended_days",
            "t7"."product_category",
            "t7"."plan_on",
            "t7"."birth_date",
            "t7"."k_applies",
            "t7"."k_category",
            "t7"."k_provider",
            "t17"."law" AS "law_right",
            "t17"."applies_to",
            "t17"."norm_category",
            "t17"."norm_provider",
            "t17"."norm_days"
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
          ) AS "t7"
          LEFT OUTER JOIN (
            SELECT
              "t15"."k_law" AS "law",
              "t15"."k_applies" AS "applies_to",
              "t15"."norm_category",
              "t15"."norm_provider",
              "t15"."norm_days"
            FROM (
              SELECT
                "t14"."k_law",
                "t14"."k_applies",
                "t14"."norm_category",
                "t14"."norm_provider",
                "t14"."n_law",
                "t14"."n_applies",
                "t14"."n_category",
                "t14"."n_provider",
                "t14"."norm_days",
                "t14"."n_loaded",
                ROW_NUMBER() OVER (
                  PARTITION BY "t14"."k_law", "t14"."k_applies", "t14"."norm_category", "t14"."norm_provider"
                  ORDER BY (
                    CAST("t14"."n_provider" <> '' AS BIGINT) * 2
                  ) + CAST("t14"."n_category" <> '' AS BIGINT) DESC, "t14"."n_loaded" DESC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) - 1 AS "pick"
              FROM (
                SELECT
                  "t8"."k_law",
                  "t8"."k_applies",
                  "t8"."norm_category",
                  "t8"."norm_provider",
                  "t13"."n_law",
                  "t13"."n_applies",
                  "t13"."n_category",
                  "t13"."n_provider",
                  "t13"."norm_days",
                  "t13"."n_loaded"
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
                    "t11"."law" AS "n_law",
                    "t11"."applies_to" AS "n_applies",
                    COALESCE(CAST("t11"."product_category" AS TEXT), '') AS "n_category",
                    COALESCE(CAST("t11"."provider_code" AS TEXT), '') AS "n_provider",
                    CAST("t11"."days" AS BIGINT) AS "norm_days",
                    TRUE AS "n_loaded"
                  FROM (
                    SELECT
                      "t10".*
                      EXCLUDE ("_n")
                    FROM (
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t5"."law",
                          "t5"."product_category",
                          "t5"."provider_code",
                          "t5"."applies_to",
                          "t5"."shipped",
                          "t5"."days",
                          "t5"."basis",
                          "t5"."load_id",
                          "t5"."known_from",
                          "t5"."superseded_at",
                          "t5"."superseded_by",
                          "t5"."source_row",
                          ROW_NUMBER() OVER (
                            PARTITION BY "t5"."law", "t5"."product_category", "t5"."provider_code", "t5"."applies_to"
                            ORDER BY "t5"."shipped" ASC, "t5"."load_id" DESC
                            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                          ) - 1 AS "_n"
                        FROM (
                          SELECT
                            *
                          FROM "norm_versions" AS "t2"
                          WHERE
                            "t2"."superseded_at" IS NULL
                        ) AS "t5"
                      ) AS "t9"
                      WHERE
                        "t9"."_n" = 0
                    ) AS "t10"
                  ) AS "t11"
                ) AS "t13"
                  ON "t8"."k_law" = "t13"."n_law"
                  AND "t8"."k_applies" = "t13"."n_applies"
                  AND (
                    (
                      "t13"."n_category" = ''
                    ) OR (
                      "t13"."n_category" = "t8"."norm_category"
                    )
                  )
                  AND (
                    (
                      "t13"."n_provider" = ''
                    ) OR (
                      "t13"."n_provider" = "t8"."norm_provider"
                    )
                  )
              ) AS "t14"
            ) AS "t15"
            WHERE
              "t15"."pick" = 0
          ) AS "t17"
            ON "t7"."law" = "t17"."law"
            AND "t7"."k_applies" = "t17"."applies_to"
            AND "t7"."k_category" = "t17"."norm_category"
            AND "t7"."k_provider" = "t17"."norm_provider"
        ) AS "t18"
        WHERE
          "t18"."norm_days" IS NOT NULL
      ) AS "t20"
      INNER JOIN "memtable_1" AS "t3"
        ON "t20"."received_on" <= "t3"."slot_last"
        AND (
          (
            "t20"."decided_on" IS NULL
          ) OR (
            "t20"."decided_on" > "t3"."slot_last"
          )
        )
    ) AS "t21"
  ) AS "t22"
  GROUP BY
    1
) AS "t23"
