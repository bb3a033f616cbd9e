"""Pipeline stages: each is `stage(doc, ctx) -> Document`, pure, owning its report fields."""
