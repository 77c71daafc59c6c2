"""How big each dataset is. `national` follows DOMAIN.md §5; the others divide it so that they run in
seconds (`small`, CI and the test suite) or minutes (`medium`, `large`)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    equipped_mairies: int
    collection_stations: int  # spread over the equipped mairies, at least one each
    points_numeriques: int
    espaces_numeriques: int
    instruction_centres: int
    instructors_per_centre: int
    accounts: int
    dossiers: int
    slot_days: int = 90
    # Fraction of the next weeks' slots already booked (the 2022 crisis: weeks full ahead).
    booked_share_first_month: float = 0.6
    booked_share_later: float = 0.15
    # Sizes of the samples handed to the load scenarios (ids they pick from at random).
    sample_size: int = 2_000


SCALES = {
    "small": Scale(
        name="small",
        equipped_mairies=30,
        collection_stations=54,
        points_numeriques=4,
        espaces_numeriques=36,
        instruction_centres=3,
        instructors_per_centre=10,
        accounts=5_000,
        dossiers=10_000,
        sample_size=500,
    ),
    "medium": Scale(
        name="medium",
        equipped_mairies=500,
        collection_stations=900,
        points_numeriques=60,
        espaces_numeriques=600,
        instruction_centres=10,
        instructors_per_centre=10,
        accounts=250_000,
        dossiers=500_000,
    ),
    "large": Scale(
        name="large",
        equipped_mairies=2_500,
        collection_stations=4_500,
        points_numeriques=300,
        espaces_numeriques=3_000,
        instruction_centres=27,
        instructors_per_centre=10,
        accounts=1_250_000,
        dossiers=2_500_000,
    ),
    "national": Scale(
        name="national",
        equipped_mairies=2_500,
        collection_stations=4_500,
        points_numeriques=300,
        espaces_numeriques=3_000,
        instruction_centres=27,
        instructors_per_centre=10,
        accounts=5_000_000,
        dossiers=10_000_000,
    ),
}
