"""Document text for generated tasks: short topical documents, train topics apart from test topics.

Test documents come from topics never used in training, so every phrase a test request names
(what to bold, which paragraph to centre, what to delete) is text the model has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    file: str
    title: str
    sentences: tuple[str, ...]


TRAIN_TOPICS: tuple[Topic, ...] = (
    Topic(
        "quarterly_report.docx",
        "Quarterly Sales Report",
        (
            "Revenue grew by twelve percent compared with the previous quarter.",
            "The northern region delivered the strongest results this year.",
            "Operating costs stayed within the approved budget.",
            "Our subscription business added four thousand new customers.",
            "Hardware sales declined slightly because of supply delays.",
            "The finance team expects steady growth through the winter months.",
            "Marketing spend was shifted toward online channels.",
            "Customer retention improved after the loyalty program launched.",
            "Two large contracts were signed with hospital networks.",
            "The board approved a modest dividend increase.",
        ),
    ),
    Topic(
        "team_offsite.docx",
        "Team Offsite Agenda",
        (
            "The offsite will take place at the lakeside conference center.",
            "Buses leave the main office at eight in the morning.",
            "Each team will present its roadmap before lunch.",
            "The afternoon is reserved for planning workshops.",
            "Dinner will be served on the terrace at seven.",
            "Please bring a laptop and comfortable walking shoes.",
            "A short hiking trip is planned for the second day.",
            "Vegetarian meals are available on request.",
            "Room assignments will be shared by email next week.",
            "Questions about travel should go to the office manager.",
        ),
    ),
    Topic(
        "product_launch.docx",
        "Product Launch Plan",
        (
            "The new tablet will be announced at the spring event.",
            "Early reviewers receive their devices two weeks before launch.",
            "The marketing campaign focuses on battery life and weight.",
            "Retail partners will open preorders on the same day.",
            "Support staff need training on the updated charging dock.",
            "Packaging uses recycled cardboard and plant based inks.",
            "The price stays the same as the previous model.",
            "A limited edition color ships only in selected markets.",
            "Press materials must be approved by the legal department.",
            "Launch metrics will be reviewed every Friday afternoon.",
        ),
    ),
    Topic(
        "garden_newsletter.docx",
        "Community Garden Newsletter",
        (
            "Spring planting starts on the first Saturday of April.",
            "New members can collect their plot keys at the shed.",
            "The tomato seedlings are ready for transplanting.",
            "Please water the shared herb beds on your assigned days.",
            "Compost bins are now located behind the greenhouse.",
            "A local beekeeper will give a talk about pollinators.",
            "Volunteers repaired the wooden fence last weekend.",
            "Harvest surplus can be donated to the food pantry.",
            "Garden tools must be cleaned before returning them.",
            "The summer picnic will feature fresh vegetable salads.",
        ),
    ),
    Topic(
        "library_update.docx",
        "City Library Update",
        (
            "The reading room reopens after the renovation next Monday.",
            "Opening hours on weekends have been extended until six.",
            "Children can join the storytelling club every Wednesday.",
            "The digital catalog now includes audiobooks and magazines.",
            "Members may borrow up to ten items at a time.",
            "Late fees for returned books have been removed.",
            "A new study area offers quiet desks with power outlets.",
            "The local history archive is open by appointment.",
            "Volunteers are needed for the annual book sale.",
            "Printing services cost ten cents per page.",
        ),
    ),
    Topic(
        "marathon_training.docx",
        "Marathon Training Guide",
        (
            "Build your weekly mileage slowly to avoid injuries.",
            "Long runs should be done at a relaxed conversational pace.",
            "Include one rest day after every hard workout.",
            "Hydration matters even on cool and cloudy mornings.",
            "Interval sessions improve speed and running economy.",
            "Replace your running shoes every five hundred miles.",
            "Strength exercises protect the knees and hips.",
            "Practice your race day breakfast during training.",
            "Taper the volume during the final three weeks.",
            "Sleep is the most underrated part of recovery.",
        ),
    ),
)

TEST_TOPICS: tuple[Topic, ...] = (
    Topic(
        "astronomy_night.docx",
        "Astronomy Night Program",
        (
            "Telescopes will be set up on the observatory roof.",
            "Saturn rises above the eastern horizon around nine.",
            "Guests should dim their phone screens after sunset.",
            "A volunteer astronomer explains how nebulae form.",
            "Warm blankets are recommended for the late session.",
            "The meteor shower peaks shortly after midnight.",
            "Binoculars can be borrowed at the welcome desk.",
            "Cloudy weather moves the event to the planetarium dome.",
            "Students receive a star chart and a red flashlight.",
            "Photography workshops cover long exposure techniques.",
        ),
    ),
    Topic(
        "bakery_opening.docx",
        "Bakery Grand Opening",
        (
            "Our sourdough loaves are baked fresh before dawn.",
            "Free cinnamon buns go to the first fifty visitors.",
            "The espresso bar uses beans from a nearby roastery.",
            "Gluten free muffins are prepared in a separate kitchen.",
            "Custom wedding cakes can be ordered three months ahead.",
            "The pastry chef trained in Lyon for six years.",
            "Leftover bread is donated to the shelter each evening.",
            "Outdoor seating overlooks the cobblestone square.",
            "Croissants sell out quickly on Sunday mornings.",
            "Catering menus include savory tarts and quiches.",
        ),
    ),
    Topic(
        "river_cleanup.docx",
        "River Cleanup Volunteer Briefing",
        (
            "Volunteers gather at the old stone bridge at dawn.",
            "Waders and gloves are provided by the rangers.",
            "Plastic bottles go into the blue recycling sacks.",
            "Never lift heavy debris without a partner.",
            "Kayak crews will patrol the deeper channels.",
            "Report injured wildlife to the shoreline coordinator.",
            "Sandwiches and lemonade arrive around noon.",
            "Last spring we removed nearly two tons of trash.",
            "Tetanus shots are recommended for all participants.",
            "Photos of the collected waste help our grant reports.",
        ),
    ),
)

TRAIN_TEXT = " ".join(t.title + " " + " ".join(t.sentences) for t in TRAIN_TOPICS).casefold()
