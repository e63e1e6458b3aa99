SELECT
  *
FROM (
  SELECT
    "t10"."slot",
    "t10"."target_group",
    COUNT(DISTINCT "t10"."client_key") AS "clients"
  FROM (
    SELECT
      "t9"."client_key",
      "t9"."law",
      "t9"."birth",
      "t9"."slot_name",
      "t9"."flag",
      "t9"."slot",
      "t9"."slot_last",
      "t9"."law" AS "law_for_age",
      CASE
        WHEN (
          "t9"."law" = 'JW'
        )
        OR (
          (
            (
              EXTRACT(year FROM "t9"."slot_last") - EXTRACT(year FROM "t9"."birth")
            ) - CAST((
              EXTRACT(month FROM "t9"."slot_last") < EXTRACT(month FROM "t9"."birth")
            )
            OR (
              (
                EXTRACT(month FROM "t9"."slot_last") = EXTRACT(month FROM "t9"."birth")
              )
              AND (
                EXTRACT(day FROM "t9"."slot_last") < EXTRACT(day FROM "t9"."birth")
              )
            ) AS BIGINT)
          ) < 18
        )
        THEN 'jeugd'
        ELSE CASE (
            (
              EXTRACT(year FROM "t9"."slot_last") - EXTRACT(year FROM "t9"."birth")
            ) - CAST((
              EXTRACT(month FROM "t9"."slot_last") < EXTRACT(month FROM "t9"."birth")
            )
            OR (
              (
                EXTRACT(month FROM "t9"."slot_last") = EXTRACT(month FROM "t9"."birth")
              )
              AND (
                EXTRACT(day FROM "t9"."slot_last") < EXTRACT(day FROM "t9"."birth")
              )
            ) AS BIGINT)
          ) < 65
          WHEN TRUE
          THEN 'volwassenen'
          WHEN FALSE
          THEN 'ouderen'
          ELSE 'onbekend'
        END
      END AS "target_group"
    FROM (
      SELECT
        "t8"."client_key",
        "t8"."law",
        "t8"."birth",
        "t8"."slot_name",
        "t8"."flag",
        "t2"."slot",
        "t2"."slot_last"
      FROM (
        SELECT
          "t6"."client_key",
          "t6"."law",
          "t6"."birth",
          "t6"."__pivoted__"."slot_name" AS "slot_name",
          "t6"."__pivoted__"."flag" AS "flag"
        FROM (
          SELECT
            "t5"."client_key",
            "t5"."law",
            "t5"."birth",
            UNNEST(
              CAST([{'slot_name': 's0', 'flag': "t5"."s0"}] AS STRUCT("slot_name" TEXT, "flag" TINYINT)[])
            ) AS "__pivoted__"
          FROM (
            SELECT
              "t4"."client_key",
              "t4"."law",
              MIN("t4"."birth_date") AS "birth",
              CAST(BOOL_OR(
                CAST((
                  "t4"."start_date" <= MAKE_DATE(2018, 12, 31)
                )
                AND (
                  (
                    "t4"."end_date" IS NULL
                  ) OR (
                    "t4"."end_date" >= MAKE_DATE(2018, 1, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) AS "s0"
            FROM (
              SELECT
                "t3"."allocation_id",
                "t3"."client_key",
                MIN("t3"."birth_date") OVER (
                  PARTITION BY "t3"."client_key"
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) AS "birth_date",
                "t3"."gender",
                "t3"."municipality_code",
                "t3"."law",
                "t3"."product_category",
                "t3"."product_code",
                "t3"."provider_code",
                "t3"."referrer",
                "t3"."delivery_form",
                "t3"."start_date",
                "t3"."end_date"
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
                  AND "t1"."start_date" <= MAKE_DATE(2018, 12, 31)
                  AND (
                    (
                      CASE
                        WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                        THEN CAST(NULL AS DATE)
                        ELSE "t1"."end_date"
                      END IS NULL
                    )
                    OR (
                      CASE
                        WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                        THEN CAST(NULL AS DATE)
                        ELSE "t1"."end_date"
                      END >= MAKE_DATE(2018, 1, 1)
                    )
                  )
              ) AS "t3"
            ) AS "t4"
            GROUP BY
              1,
              2
          ) AS "t5"
        ) AS "t6"
        WHERE
          (
            "t6"."__pivoted__"."flag" % 2
          ) = 1
      ) AS "t8"
      INNER JOIN "memtable_1" AS "t2"
        ON "t8"."slot_name" = "t2"."slot_name"
    ) AS "t9"
  ) AS "t10"
  GROUP BY
    1,
    2
) AS "t11"
