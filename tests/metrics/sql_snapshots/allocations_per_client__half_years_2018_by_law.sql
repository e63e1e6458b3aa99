SELECT
  "t7"."slot",
  "t7"."law",
  "t7"."allocations",
  "t7"."clients",
  CAST(ROUND("t7"."allocations" / NULLIF("t7"."clients", 0), 2) AS DOUBLE) AS "allocations_per_client"
FROM (
  SELECT
    "t6"."slot",
    "t6"."law",
    COUNT(*) AS "allocations",
    COUNT(DISTINCT "t6"."client_key") AS "clients"
  FROM (
    SELECT
      "t5"."allocation_id",
      "t5"."client_key",
      "t5"."birth_date",
      "t5"."gender",
      "t5"."municipality_code",
      "t5"."g_law" AS "law",
      "t5"."product_category",
      "t5"."product_code",
      "t5"."provider_code",
      "t5"."referrer",
      "t5"."delivery_form",
      "t5"."start_date",
      "t5"."end_date",
      "t5"."g_law",
      "t5"."slot",
      "t5"."slot_first",
      "t5"."slot_last",
      CASE
        WHEN NOT (
          "t5"."start_date" < "t5"."slot_first"
        )
        AND NOT (
          (
            "t5"."end_date" IS NULL
          ) OR (
            "t5"."end_date" > "t5"."slot_last"
          )
        )
        THEN 'in_period'
        WHEN (
          "t5"."start_date" < "t5"."slot_first"
        )
        AND NOT (
          (
            "t5"."end_date" IS NULL
          ) OR (
            "t5"."end_date" > "t5"."slot_last"
          )
        )
        THEN 'ended_in_period'
        WHEN NOT (
          "t5"."start_date" < "t5"."slot_first"
        )
        AND (
          (
            "t5"."end_date" IS NULL
          ) OR (
            "t5"."end_date" > "t5"."slot_last"
          )
        )
        THEN 'started_in_period'
        ELSE 'spans_period'
      END AS "overlap",
      "t5"."birth_date" AS "birth",
      "t5"."law" AS "law_for_age"
    FROM (
      SELECT
        "t4"."allocation_id",
        "t4"."client_key",
        "t4"."birth_date",
        "t4"."gender",
        "t4"."municipality_code",
        "t4"."law",
        "t4"."product_category",
        "t4"."product_code",
        "t4"."provider_code",
        "t4"."referrer",
        "t4"."delivery_form",
        "t4"."start_date",
        "t4"."end_date",
        "t4"."g_law",
        "t2"."slot",
        "t2"."slot_first",
        "t2"."slot_last"
      FROM (
        SELECT
          "t0"."allocation_id",
          "t0"."client_key",
          "t0"."birth_date",
          "t0"."gender",
          "t0"."municipality_code",
          "t0"."law",
          "t0"."product_category",
          "t0"."product_code",
          "t0"."provider_code",
          "t0"."referrer",
          "t0"."delivery_form",
          "t0"."start_date",
          CASE
            WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
            THEN CAST(NULL AS DATE)
            ELSE "t0"."end_date"
          END AS "end_date",
          "t0"."law" AS "g_law"
        FROM "allocation_versions" AS "t0"
        WHERE
          "t0"."superseded_at" IS NULL
          AND NOT (
            "t0"."is_deleted"
          )
          AND "t0"."start_date" <= MAKE_DATE(2024, 1, 1)
          AND "t0"."start_date" <= MAKE_DATE(2018, 12, 31)
          AND (
            (
              CASE
                WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                THEN CAST(NULL AS DATE)
                ELSE "t0"."end_date"
              END IS NULL
            )
            OR (
              CASE
                WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                THEN CAST(NULL AS DATE)
                ELSE "t0"."end_date"
              END >= MAKE_DATE(2018, 1, 1)
            )
          )
      ) AS "t4"
      INNER JOIN "memtable_1" AS "t2"
        ON "t4"."start_date" <= "t2"."slot_last"
        AND (
          (
            "t4"."end_date" IS NULL
          ) OR (
            "t4"."end_date" >= "t2"."slot_first"
          )
        )
    ) AS "t5"
  ) AS "t6"
  GROUP BY
    1,
    2
) AS "t7"
