//! The result: score rules, success and completion, response, duration, extensions.

use serde_json::Value;

use crate::{Invalid, duration, iri, json};

pub(crate) fn result(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = json::object(
        value,
        path,
        &[
            "score",
            "success",
            "completion",
            "response",
            "duration",
            "extensions",
        ],
    )?;
    for (key, item) in map {
        let item_path = json::join(path, key);
        match key.as_str() {
            "score" => score(item, &item_path)?,
            "success" | "completion" => {
                json::boolean(item, &item_path)?;
            }
            "response" => {
                json::string(item, &item_path)?;
            }
            "duration" => duration::duration(item, &item_path)?,
            _ => iri::extensions(item, &item_path)?,
        }
    }
    Ok(())
}

/// `scaled` in -1..=1; `min` < `max`; `raw` within `min..=max` where they are given.
fn score(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = json::object(value, path, &["scaled", "raw", "min", "max"])?;
    let get = |key: &str| {
        map.get(key)
            .map(|v| json::number(v, &json::join(path, key)))
            .transpose()
    };
    let (scaled, raw, min, max) = (get("scaled")?, get("raw")?, get("min")?, get("max")?);
    if let Some(scaled) = scaled
        && !(-1.0..=1.0).contains(&scaled)
    {
        return Err(Invalid::new(
            "score-scaled-range",
            json::join(path, "scaled"),
            format!("A scaled score must be between -1 and 1; {scaled} is not."),
        ));
    }
    if let (Some(min), Some(max)) = (min, max)
        && min >= max
    {
        return Err(Invalid::new(
            "score-min-max",
            json::join(path, "min"),
            format!("The minimum score ({min}) must be less than the maximum ({max})."),
        ));
    }
    if let Some(raw) = raw {
        let below = min.is_some_and(|min| raw < min);
        let above = max.is_some_and(|max| raw > max);
        if below || above {
            return Err(Invalid::new(
                "score-raw-range",
                json::join(path, "raw"),
                format!("The raw score {raw} must lie between the minimum and the maximum."),
            ));
        }
    }
    Ok(())
}
