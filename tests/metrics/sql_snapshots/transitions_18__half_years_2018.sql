SELECT
  "t12"."slot",
  "t12"."turned_18",
  "t12"."with_wmo",
  CAST(ROUND("t12"."with_wmo" / NULLIF("t12"."turned_18", 0), 4) AS DOUBLE) AS "share"
FROM (
  SELECT
    "t11"."slot",
    COUNT(DISTINCT "t11"."client_key") AS "turned_18",
    COUNT(DISTINCT "t11"."client_key") FILTER(WHERE
      "t11"."wmo") AS "with_wmo"
  FROM (
    SELECT
      "t10".*
      EXCLUDE ("slot_index")
    FROM (
      SELECT
        "t9"."client_key",
        "t9"."birth",
        "t9"."jeugd_end",
        "t9"."wmo",
        "t9"."birthday",
        "t9"."law_for_age",
        "t9"."slot_index",
        "t4"."slot",
        "t4"."slot_first",
        "t4"."slot_last"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t6"."client_key",
            "t6"."birth",
            "t6"."jeugd_end",
            "t6"."wmo",
            CAST("t6"."birth" + INTERVAL '18' YEAR AS DATE) AS "birthday",
            'JW' AS "law_for_age",
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM CAST("t6"."birth" + INTERVAL '18' YEAR AS DATE)) * 12
                    ) + EXTRACT(month FROM CAST("t6"."birth" + INTERVAL '18' YEAR AS DATE))
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) AS "slot_index"
          FROM (
            SELECT
              "t5"."client_key",
              MIN("t5"."birth") AS "birth",
              MAX(COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31))) FILTER(WHERE
                "t5"."law" = 'JW') AS "jeugd_end",
              BOOL_OR(
                CAST((
                  "t5"."law" = 'WMO'
                )
                AND (
                  "t5"."start_date" <= (
                    "t5"."birth" + INTERVAL '18' YEAR + INTERVAL '6' MONTH
                  )
                )
                AND (
                  COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31)) >= (
                    "t5"."birth" + INTERVAL '18' YEAR
                  )
                ) AS BOOLEAN)
              ) AS "wmo"
            FROM (
              SELECT
                "t2"."allocation_id",
                "t2"."client_key",
                "t2"."birth_date",
                "t2"."gender",
                "t2"."municipality_code",
                "t2"."law",
                "t2"."product_category",
                "t2"."product_code",
                "t2"."provider_code",
                "t2"."referrer",
                "t2"."delivery_form",
                "t2"."start_date",
                "t2"."end_date",
                MIN("t2"."birth_date") OVER (
                  PARTITION BY "t2"."client_key"
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) AS "birth"
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
                  END AS "end_date"
                FROM "allocation_versions" AS "t1"
                WHERE
                  "t1"."superseded_at" IS NULL
                  AND NOT (
                    "t1"."is_deleted"
                  )
                  AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
              ) AS "t2"
            ) AS "t5"
            GROUP BY
              1
          ) AS "t6"
          WHERE
            "t6"."jeugd_end" < MAKE_DATE(9999, 12, 31)
            AND "t6"."jeugd_end" >= (
              CAST("t6"."birth" + INTERVAL '18' YEAR AS DATE) - INTERVAL '6' MONTH
            )
            AND "t6"."jeugd_end" <= (
              CAST("t6"."birth" + INTERVAL '18' YEAR AS DATE) + INTERVAL '6' MONTH
            )
        ) AS "t7"
        WHERE
          "t7"."slot_index" >= 0 AND "t7"."slot_index" < 2
      ) AS "t9"
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
        ON "t9"."slot_index" = "t4"."slot_index"
    ) AS "t10"
  ) AS "t11"
  GROUP BY
    1
) AS "t12"
