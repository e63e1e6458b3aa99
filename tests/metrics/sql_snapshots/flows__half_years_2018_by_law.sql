WITH "t8" AS (
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
    "t5"."g_law",
    "t5"."end_filled",
    "t5"."birth",
    "t5"."law_for_age",
    MAX("t5"."end_filled") OVER (
      PARTITION BY "t5"."client_key", "t5"."g_law"
      ORDER BY "t5"."start_date" ASC, "t5"."end_filled" ASC
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
    ) AS "previous_end",
    MAX("t5"."end_filled") OVER (
      PARTITION BY "t5"."client_key", "t5"."g_law"
      ORDER BY "t5"."start_date" ASC, "t5"."end_filled" ASC
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
    ) AS "last_end"
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
      CASE
        WHEN "t2"."end_date" > MAKE_DATE(2024, 1, 1)
        THEN CAST(NULL AS DATE)
        ELSE "t2"."end_date"
      END AS "end_date",
      "t2"."law" AS "g_law",
      COALESCE(
        CASE
          WHEN "t2"."end_date" > MAKE_DATE(2024, 1, 1)
          THEN CAST(NULL AS DATE)
          ELSE "t2"."end_date"
        END,
        MAKE_DATE(9999, 12, 31)
      ) AS "end_filled",
      "t2"."birth_date" AS "birth",
      "t2"."law" AS "law_for_age"
    FROM "allocation_versions" AS "t2"
    WHERE
      "t2"."superseded_at" IS NULL
      AND NOT (
        "t2"."is_deleted"
      )
      AND "t2"."start_date" <= MAKE_DATE(2024, 1, 1)
  ) AS "t5"
)
SELECT
  "t27"."slot",
  "t27"."law",
  "t27"."inflow",
  "t27"."outflow",
  "t27"."inflow" - "t27"."outflow" AS "net"
FROM (
  SELECT
    "t26"."slot",
    "t26"."law",
    SUM("t26"."inflow_n") AS "inflow",
    SUM("t26"."outflow_n") AS "outflow"
  FROM (
    SELECT
      "t25"."slot",
      "t25"."slot_last",
      "t25"."birth",
      "t25"."law_for_age",
      "t25"."g_law",
      "t25"."inflow_n",
      "t25"."outflow_n",
      "t25"."g_law" AS "law"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t18"."slot",
          "t18"."slot_last",
          "t18"."birth",
          "t18"."law_for_age",
          "t18"."g_law",
          1 AS "inflow_n",
          0 AS "outflow_n"
        FROM (
          SELECT
            "t17".*
            EXCLUDE ("slot_index")
          FROM (
            SELECT
              "t15"."allocation_id",
              "t15"."client_key",
              "t15"."birth_date",
              "t15"."gender",
              "t15"."municipality_code",
              "t15"."law",
              "t15"."product_category",
              "t15"."product_code",
              "t15"."provider_code",
              "t15"."referrer",
              "t15"."delivery_form",
              "t15"."start_date",
              "t15"."end_date",
              "t15"."g_law",
              "t15"."end_filled",
              "t15"."birth",
              "t15"."law_for_age",
              "t15"."previous_end",
              "t15"."last_end",
              "t15"."is_new",
              "t15"."start",
              "t15"."slot_index",
              "t6"."slot",
              "t6"."slot_first",
              "t6"."slot_last"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t9"."allocation_id",
                  "t9"."client_key",
                  "t9"."birth_date",
                  "t9"."gender",
                  "t9"."municipality_code",
                  "t9"."law",
                  "t9"."product_category",
                  "t9"."product_code",
                  "t9"."provider_code",
                  "t9"."referrer",
                  "t9"."delivery_form",
                  "t9"."start_date",
                  "t9"."end_date",
                  "t9"."g_law",
                  "t9"."end_filled",
                  "t9"."birth",
                  "t9"."law_for_age",
                  "t9"."previous_end",
                  "t9"."last_end",
                  (
                    "t9"."previous_end" IS NULL
                  )
                  OR (
                    (
                      DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                    ) > 0
                  ) AS "is_new",
                  "t9"."start_date" AS "start",
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM "t9"."start_date") * 12
                          ) + EXTRACT(month FROM "t9"."start_date")
                        ) - 1
                      ) - 24216
                    ) / (
                      6
                    )
                  ) AS BIGINT) AS "slot_index"
                FROM "t8" AS "t9"
                WHERE
                  (
                    "t9"."previous_end" IS NULL
                  )
                  OR (
                    (
                      DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                    ) > 0
                  )
              ) AS "t13"
              WHERE
                "t13"."slot_index" >= 0 AND "t13"."slot_index" < 2
            ) AS "t15"
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
            ) AS "t6"
              ON "t15"."slot_index" = "t6"."slot_index"
          ) AS "t17"
        ) AS "t18"
      ) AS "t20"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          "t23"."slot",
          "t23"."slot_last",
          "t23"."birth",
          "t23"."law_for_age",
          "t23"."g_law",
          0 AS "inflow_n",
          1 AS "outflow_n"
        FROM (
          SELECT
            "t22".*
            EXCLUDE ("slot_index")
          FROM (
            SELECT
              "t21"."allocation_id",
              "t21"."client_key",
              "t21"."birth_date",
              "t21"."gender",
              "t21"."municipality_code",
              "t21"."law",
              "t21"."product_category",
              "t21"."product_code",
              "t21"."provider_code",
              "t21"."referrer",
              "t21"."delivery_form",
              "t21"."start_date",
              "t21"."end_date",
              "t21"."g_law",
              "t21"."end_filled",
              "t21"."birth",
              "t21"."law_for_age",
              "t21"."previous_end",
              "t21"."last_end",
              "t21"."is_new",
              "t21"."end",
              "t21"."slot_index",
              "t7"."slot",
              "t7"."slot_first",
              "t7"."slot_last"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t12"."allocation_id",
                  "t12"."client_key",
                  "t12"."birth_date",
                  "t12"."gender",
                  "t12"."municipality_code",
                  "t12"."law",
                  "t12"."product_category",
                  "t12"."product_code",
                  "t12"."provider_code",
                  "t12"."referrer",
                  "t12"."delivery_form",
                  "t12"."start_date",
                  "t12"."end_date",
                  "t12"."g_law",
                  "t12"."end_filled",
                  "t12"."birth",
                  "t12"."law_for_age",
                  "t12"."previous_end",
                  "t12"."last_end",
                  "t12"."is_new",
                  "t12"."end",
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM "t12"."end") * 12
                          ) + EXTRACT(month FROM "t12"."end")
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
                      "t9"."allocation_id",
                      "t9"."client_key",
                      "t9"."birth_date",
                      "t9"."gender",
                      "t9"."municipality_code",
                      "t9"."law",
                      "t9"."product_category",
                      "t9"."product_code",
                      "t9"."provider_code",
                      "t9"."referrer",
                      "t9"."delivery_form",
                      "t9"."start_date",
                      "t9"."end_date",
                      "t9"."g_law",
                      "t9"."end_filled",
                      "t9"."birth",
                      "t9"."law_for_age",
                      "t9"."previous_end",
                      "t9"."last_end",
                      (
                        "t9"."previous_end" IS NULL
                      )
                      OR (
                        (
                          DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                        ) > 0
                      ) AS "is_new",
                      "t9"."previous_end" AS "end"
                    FROM "t8" AS "t9"
                    WHERE
                      (
                        (
                          "t9"."previous_end" IS NULL
                        )
                        OR (
                          (
                            DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                          ) > 0
                        )
                      )
                      AND "t9"."previous_end" IS NOT NULL
                  ) AS "t10"
                  UNION ALL
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t9"."allocation_id",
                      "t9"."client_key",
                      "t9"."birth_date",
                      "t9"."gender",
                      "t9"."municipality_code",
                      "t9"."law",
                      "t9"."product_category",
                      "t9"."product_code",
                      "t9"."provider_code",
                      "t9"."referrer",
                      "t9"."delivery_form",
                      "t9"."start_date",
                      "t9"."end_date",
                      "t9"."g_law",
                      "t9"."end_filled",
                      "t9"."birth",
                      "t9"."law_for_age",
                      "t9"."previous_end",
                      "t9"."last_end",
                      (
                        "t9"."previous_end" IS NULL
                      )
                      OR (
                        (
                          DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                        ) > 0
                      ) AS "is_new",
                      "t9"."last_end" AS "end"
                    FROM "t8" AS "t9"
                    WHERE
                      "t9"."previous_end" IS NULL AND "t9"."last_end" < MAKE_DATE(9999, 12, 31)
                  ) AS "t11"
                ) AS "t12"
                WHERE
                  "t12"."end" IS NOT NULL
              ) AS "t16"
              WHERE
                "t16"."slot_index" >= 0 AND "t16"."slot_index" < 2
            ) AS "t21"
            INNER JOIN (
              SELECT
                "t1"."slot",
                "t1"."slot_first",
                "t1"."slot_last",
                ROW_NUMBER() OVER (
                  ORDER BY "t1"."slot_first" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) - 1 AS "slot_index"
              FROM "memtable_2" AS "t1"
            ) AS "t7"
              ON "t21"."slot_index" = "t7"."slot_index"
          ) AS "t22"
        ) AS "t23"
      ) AS "t24"
    ) AS "t25"
  ) AS "t26"
  GROUP BY
    1,
    2
) AS "t27"
