SELECT
  "t17"."slot",
  "t17"."inflow",
  "t17"."reentries",
  CAST(ROUND("t17"."reentries" / NULLIF("t17"."inflow", 0), 4) AS DOUBLE) AS "reentry_rate"
FROM (
  SELECT
    "t16"."slot",
    COUNT(*) AS "inflow",
    SUM(CAST("t16"."is_reentry" AS BIGINT)) AS "reentries"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t14".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t13"."client_key",
          "t13"."episode",
          "t13"."episode_start",
          "t13"."episode_end",
          "t13"."birth",
          "t13"."law_for_age",
          "t13"."start",
          "t13"."previous_end",
          "t13"."is_reentry",
          "t13"."slot_index",
          "t4"."slot",
          "t4"."slot_first",
          "t4"."slot_last"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t10"."client_key",
              "t10"."episode",
              "t10"."episode_start",
              "t10"."episode_end",
              "t10"."birth",
              "t10"."law_for_age",
              "t10"."start",
              "t10"."previous_end",
              (
                "t10"."previous_end" IS NOT NULL
              )
              AND (
                "t10"."start" <= (
                  "t10"."previous_end" + INTERVAL '12' MONTH
                )
              ) AS "is_reentry",
              CAST(FLOOR(
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t10"."start") * 12
                      ) + EXTRACT(month FROM "t10"."start")
                    ) - 1
                  ) - 24216
                ) / (
                  1
                )
              ) AS BIGINT) AS "slot_index"
            FROM (
              SELECT
                "t9"."client_key",
                "t9"."episode",
                "t9"."episode_start",
                "t9"."episode_end",
                "t9"."birth",
                "t9"."law_for_age",
                "t9"."episode_start" AS "start",
                LAG("t9"."episode_end") OVER (
                  PARTITION BY "t9"."client_key"
                  ORDER BY "t9"."episode_start" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) AS "previous_end"
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
                  "t8"."law_for_age"
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
            ) AS "t10"
          ) AS "t11"
          WHERE
            "t11"."slot_index" >= 0 AND "t11"."slot_index" < 12
        ) AS "t13"
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
          ON "t13"."slot_index" = "t4"."slot_index"
      ) AS "t14"
    ) AS "t15"
  ) AS "t16"
  GROUP BY
    1
) AS "t17"
