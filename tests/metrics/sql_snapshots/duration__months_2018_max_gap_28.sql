SELECT
  "t15"."slot",
  "t15"."episodes",
  "t15"."open_episodes",
  CAST(ROUND("t15"."mean_days", 2) AS DOUBLE) AS "mean_days",
  CAST(ROUND("t15"."median_days", 2) AS DOUBLE) AS "median_days",
  CAST(ROUND("t15"."p90_days", 2) AS DOUBLE) AS "p90_days",
  CAST(ROUND("t15"."mean_days" / 30.4375, 2) AS DOUBLE) AS "mean_months",
  CAST(ROUND("t15"."median_days" / 30.4375, 2) AS DOUBLE) AS "median_months",
  CAST(ROUND("t15"."p90_days" / 30.4375, 2) AS DOUBLE) AS "p90_months"
FROM (
  SELECT
    "t14"."slot",
    SUM(CAST("t14"."episode_end" IS NOT NULL AS BIGINT)) AS "episodes",
    SUM(CAST(NOT (
      "t14"."episode_end" IS NOT NULL
    ) AS BIGINT)) AS "open_episodes",
    AVG("t14"."days") AS "mean_days",
    QUANTILE_CONT("t14"."days", 0.5) AS "median_days",
    QUANTILE_CONT("t14"."days", 0.9) AS "p90_days"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t12".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t11"."client_key",
          "t11"."episode",
          "t11"."episode_start",
          "t11"."episode_end",
          "t11"."birth",
          "t11"."law_for_age",
          "t11"."start",
          "t11"."days",
          "t11"."slot_index",
          "t4"."slot",
          "t4"."slot_first",
          "t4"."slot_last"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t8"."client_key",
              "t8"."episode",
              "t8"."episode_start",
              CASE
                WHEN "t8"."episode_end" = MAKE_DATE(9999, 12, 31)
                THEN CAST(NULL AS DATE)
                ELSE "t8"."episode_end"
              END AS "episode_end",
              "t8"."birth",
              "t8"."law_for_age",
              "t8"."episode_start" AS "start",
              CAST(DATE_DIFF(
                'DAY',
                "t8"."episode_start",
                CASE
                  WHEN "t8"."episode_end" = MAKE_DATE(9999, 12, 31)
                  THEN CAST(NULL AS DATE)
                  ELSE "t8"."episode_end"
                END
              ) + 1 AS DOUBLE) AS "days",
              CAST(FLOOR(
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t8"."episode_start") * 12
                      ) + EXTRACT(month FROM "t8"."episode_start")
                    ) - 1
                  ) - 24216
                ) / (
                  1
                )
              ) AS BIGINT) AS "slot_index"
            FROM (
              SELECT
                "t7"."client_key",
                "t7"."episode",
                MIN("t7"."start_date") AS "episode_start",
                MAX("t7"."end_filled") AS "episode_end",
                MIN("t7"."birth_date") AS "birth",
                MIN("t7"."law") AS "law_for_age"
              FROM (
                SELECT
                  "t6"."allocation_id",
                  "t6"."client_key",
                  "t6"."birth_date",
                  "t6"."gender",
                  "t6"."municipality_code",
                  "t6"."law",
                  "t6"."product_category",
                  "t6"."product_code",
                  "t6"."provider_code",
                  "t6"."referrer",
                  "t6"."delivery_form",
                  "t6"."start_date",
                  "t6"."end_date",
                  "t6"."end_filled",
                  "t6"."previous_end",
                  "t6"."new_episode",
                  SUM("t6"."new_episode") OVER (
                    PARTITION BY "t6"."client_key"
                    ORDER BY "t6"."start_date" ASC, "t6"."end_filled" ASC
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                  ) AS "episode"
                FROM (
                  SELECT
                    "t5"."allocation_id",
                    "t5"."client_key",
                    "t5"."birth_date",
                    "t5"."gender",
                    "t5"."municipality_code",
                    "t5"."law",
                    "t5"."product_category",
                    "t5"."product_code",
                    "t5"."provider_code",
                    "t5"."referrer",
                    "t5"."delivery_form",
                    "t5"."start_date",
                    "t5"."end_date",
                    "t5"."end_filled",
                    "t5"."previous_end",
                    CAST((
                      "t5"."previous_end" IS NULL
                    )
                    OR (
                      (
                        DATE_DIFF('DAY', "t5"."previous_end", "t5"."start_date") - 1
                      ) > 28
                    ) AS BIGINT) AS "new_episode"
                  FROM (
                    SELECT
                      "t3"."allocation_id",
                      "t3"."client_key",
                      "t3"."birth_date",
                      "t3"."gender",
                      "t3"."municipality_code",
                      "t3"."law",
                      "t3"."product_category",
                      "t3"."product_code",
                      "t3"."provider_code",
                      "t3"."referrer",
                      "t3"."delivery_form",
                      "t3"."start_date",
                      "t3"."end_date",
                      "t3"."end_filled",
                      MAX("t3"."end_filled") OVER (
                        PARTITION BY "t3"."client_key"
                        ORDER BY "t3"."start_date" ASC, "t3"."end_filled" ASC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                      ) AS "previous_end"
                    FROM (
                      SELECT
                        "t1"."allocation_id",
                        "t1"."client_key",
                        "t1"."birth_date",
                        "t1"."gender",
                        "t1"."municipality_code",
                        "t1"."law",
                        "t1"."product_category",
                        "t1"."product_code",
                        "t1"."provider_code",
                        "t1"."referrer",
                        "t1"."delivery_form",
                        "t1"."start_date",
                        CASE
                          WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                          THEN CAST(NULL AS DATE)
                          ELSE "t1"."end_date"
                        END AS "end_date",
                        COALESCE(
                          CASE
                            WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                            THEN CAST(NULL AS DATE)
                            ELSE "t1"."end_date"
                          END,
                          MAKE_DATE(9999, 12, 31)
                        ) AS "end_filled"
                      FROM "allocation_versions" AS "t1"
                      WHERE
                        "t1"."superseded_at" IS NULL
                        AND NOT (
                          "t1"."is_deleted"
                        )
                        AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                    ) AS "t3"
                  ) AS "t5"
                ) AS "t6"
              ) AS "t7"
              GROUP BY
                1,
                2
            ) AS "t8"
          ) AS "t9"
          WHERE
            "t9"."slot_index" >= 0 AND "t9"."slot_index" < 12
        ) AS "t11"
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
        ) AS "t4"
          ON "t11"."slot_index" = "t4"."slot_index"
      ) AS "t12"
    ) AS "t13"
  ) AS "t14"
  GROUP BY
    1
) AS "t15"
