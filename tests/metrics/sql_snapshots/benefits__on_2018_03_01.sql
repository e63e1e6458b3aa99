WITH "benefit_masks" AS (
  SELECT
    "t1"."client_key",
    "t1"."partner_key",
    (
      CAST(1 AS BIGINT) << (
        LEAST(
          GREATEST(
            CAST(FLOOR(
              (
                (
                  (
                    (
                      CAST(EXTRACT(year FROM COALESCE("t1"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT) * 12
                    ) + CAST(EXTRACT(month FROM COALESCE("t1"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT)
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
                    CAST(EXTRACT(year FROM "t1"."start_date") AS BIGINT) * 12
                  ) + CAST(EXTRACT(month FROM "t1"."start_date") AS BIGINT)
                ) - 1
              ) + CAST(EXTRACT(day FROM "t1"."start_date") > 1 AS BIGINT)
            ) - 24218,
            0
          ) + 0
        ) / (
          1
        )
      ) AS BIGINT)
    ) AS "mask"
  FROM "benefit_versions" AS "t1"
  WHERE
    "t1"."superseded_at" IS NULL
    AND "t1"."start_date" <= MAKE_DATE(2018, 3, 1)
    AND (
      (
        "t1"."end_date" IS NULL
      ) OR (
        "t1"."end_date" >= MAKE_DATE(2018, 3, 1)
      )
    )
)
SELECT
  *
FROM (
  SELECT
    "t19"."slot",
    COALESCE(SUM("t19"."n") FILTER(WHERE
      "t19"."measure" = 'benefits'), 0) AS "benefits",
    COALESCE(SUM("t19"."n") FILTER(WHERE
      "t19"."measure" = 'persons'), 0) AS "persons"
  FROM (
    SELECT
      "t18"."measure",
      "t18"."n",
      "t18"."slot"
    FROM (
      SELECT
        "t17"."measure",
        "t17"."slot_index",
        "t17"."n",
        "t2"."slot"
      FROM (
        SELECT
          "t15"."measure",
          "t15"."slot_index",
          SUM("t15"."n") AS "n"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t13"."mask",
              "t13"."n",
              "t13"."measure",
              UNNEST(RANGE(0, 1, 1)) AS "slot_index"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t5"."mask",
                  "t5"."n",
                  'benefits' AS "measure"
                FROM (
                  SELECT
                    "t4"."mask",
                    COUNT(*) AS "n"
                  FROM "benefit_masks" AS "t4"
                  GROUP BY
                    1
                ) AS "t5"
              ) AS "t8"
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  "t11"."mask",
                  "t11"."n",
                  'persons' AS "measure"
                FROM (
                  SELECT
                    "t10"."mask",
                    COUNT(*) AS "n"
                  FROM (
                    SELECT
                      "t9"."person",
                      BIT_OR("t9"."mask") AS "mask"
                    FROM (
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t4"."client_key" AS "person",
                          "t4"."mask"
                        FROM "benefit_masks" AS "t4"
                      ) AS "t6"
                      UNION ALL
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t4"."partner_key" AS "person",
                          "t4"."mask"
                        FROM "benefit_masks" AS "t4"
                        WHERE
                          "t4"."partner_key" IS NOT NULL
                      ) AS "t7"
                    ) AS "t9"
                    GROUP BY
                      1
                  ) AS "t10"
                  GROUP BY
                    1
                ) AS "t11"
              ) AS "t12"
            ) AS "t13"
          ) AS "t14"
          WHERE
            (
              (
                "t14"."mask" >> "t14"."slot_index"
              ) & 1
            ) = 1
        ) AS "t15"
        GROUP BY
          1,
          2
      ) AS "t17"
      INNER JOIN "memtable_1" AS "t2"
        ON "t17"."slot_index" = "t2"."slot_index"
    ) AS "t18"
  ) AS "t19"
  GROUP BY
    1
) AS "t20"
