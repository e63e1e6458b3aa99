WITH "benefit_masks" AS (
  SELECT
    "t0"."client_key",
    "t0"."partner_key",
    (
      CAST(1 AS BIGINT) << (
        LEAST(
          GREATEST(
            CAST(FLOOR(
              (
                (
                  (
                    (
                      CAST(EXTRACT(year FROM COALESCE("t0"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT) * 12
                    ) + CAST(EXTRACT(month FROM COALESCE("t0"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT)
                  ) - 1
                ) - 24218
              ) / (
                1
              )
            ) AS BIGINT),
            -1
          ),
          0
        ) + 1
      )
    ) - (
      CAST(1 AS BIGINT) << CAST(FLOOR(
        (
          GREATEST(
            (
              (
                (
                  (
                    CAST(EXTRACT(year FROM "t0"."start_date") AS BIGINT) * 12
                  ) + CAST(EXTRACT(month FROM "t0"."start_date") AS BIGINT)
                ) - 1
              ) + CAST(EXTRACT(day FROM "t0"."start_date") > 1 AS BIGINT)
            ) - 24218,
            0
          ) + 0
        ) / (
          1
        )
      ) AS BIGINT)
    ) AS "mask"
  FROM "benefit_versions" AS "t0"
  WHERE
    "t0"."superseded_at" IS NULL
    AND "t0"."start_date" <= MAKE_DATE(2018, 3, 1)
    AND (
      (
        "t0"."end_date" IS NULL
      ) OR (
        "t0"."end_date" >= MAKE_DATE(2018, 3, 1)
      )
    )
)
SELECT
  LIST_EXTRACT(['2018-03-01'], "t14"."slot_index" + CAST("t14"."slot_index" >= 0 AS TINYINT)) AS "slot",
  "t14"."benefits",
  "t14"."persons"
FROM (
  SELECT
    "t13"."slot_index",
    SUM("t13"."benefits") AS "benefits",
    SUM("t13"."persons") AS "persons"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t11"."mask",
        "t11"."benefits",
        "t11"."persons",
        UNNEST(RANGE(0, 1, 1)) AS "slot_index"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t3"."mask",
            "t3"."n" AS "benefits",
            0 AS "persons"
          FROM (
            SELECT
              "t2"."mask",
              COUNT(*) AS "n"
            FROM "benefit_masks" AS "t2"
            GROUP BY
              1
          ) AS "t3"
        ) AS "t6"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t9"."mask",
            0 AS "benefits",
            "t9"."n" AS "persons"
          FROM (
            SELECT
              "t8"."mask",
              COUNT(*) AS "n"
            FROM (
              SELECT
                "t7"."person",
                BIT_OR("t7"."mask") AS "mask"
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t2"."client_key" AS "person",
                    "t2"."mask"
                  FROM "benefit_masks" AS "t2"
                ) AS "t4"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t2"."partner_key" AS "person",
                    "t2"."mask"
                  FROM "benefit_masks" AS "t2"
                  WHERE
                    "t2"."partner_key" IS NOT NULL
                ) AS "t5"
              ) AS "t7"
              GROUP BY
                1
            ) AS "t8"
            GROUP BY
              1
          ) AS "t9"
        ) AS "t10"
      ) AS "t11"
    ) AS "t12"
    WHERE
      (
        (
          "t12"."mask" >> "t12"."slot_index"
        ) & 1
      ) = 1
  ) AS "t13"
  GROUP BY
    1
) AS "t14"
