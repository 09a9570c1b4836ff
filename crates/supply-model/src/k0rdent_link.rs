//! Finds the k0rdent compute instance behind a Supply resource, so the
//! resource page can link to the console's instance page.
//!
//! A resource names its instance either by a self link in its spec
//! (`/v1/regions/{region}/projects/{project}/compute/instances/{id}`, maybe
//! behind a host) or, when its vendor is k0rdent, by spec fields
//! (`project`, `instance_id`, and `region` or the resource's region).

use serde_json::Value;

use crate::k0rdent::validate_instance_id;
use crate::resource::ResourceSummary;
use crate::routes::Route;

/// How deep into nested spec objects a self link is looked for.
const MAX_DEPTH: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct K0rdentInstanceRef {
    pub region: String,
    pub project: String,
    pub instance_id: String,
}

impl K0rdentInstanceRef {
    /// The console route of the instance page.
    pub fn console_path(&self) -> String {
        Route::Instance {
            region: self.region.clone(),
            project: self.project.clone(),
            id: self.instance_id.clone(),
        }
        .href()
    }
}

/// A path segment worth linking to: non-empty, no spaces or separators.
fn plain_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Reads `…/regions/{region}/projects/{project}/compute/instances/{id}`,
/// with or without a scheme and host before it and a query after it.
pub fn parse_self_link(link: &str) -> Option<K0rdentInstanceRef> {
    let path = link.split(['?', '#']).next()?.trim().trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(7).find_map(|window| match window {
        ["regions", region, "projects", project, "compute", "instances", id]
            if plain_segment(region)
                && plain_segment(project)
                && validate_instance_id(id).is_ok() =>
        {
            Some(K0rdentInstanceRef {
                region: (*region).to_owned(),
                project: (*project).to_owned(),
                instance_id: (*id).to_owned(),
            })
        }
        _ => None,
    })
}

/// The first self link among a value's strings, top-level keys first.
fn find_link(value: &Value, depth: usize) -> Option<K0rdentInstanceRef> {
    match value {
        Value::String(text) => parse_self_link(text),
        Value::Object(map) if depth < MAX_DEPTH => map
            .values()
            .filter(|v| v.is_string())
            .chain(map.values().filter(|v| !v.is_string()))
            .find_map(|v| find_link(v, depth + 1)),
        Value::Array(items) if depth < MAX_DEPTH => {
            items.iter().find_map(|v| find_link(v, depth + 1))
        }
        _ => None,
    }
}

fn spec_text<'a>(resource: &'a ResourceSummary, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|key| resource.spec.get(*key)?.as_str())
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// The k0rdent instance a resource clearly comes from, if any.
pub fn k0rdent_instance(resource: &ResourceSummary) -> Option<K0rdentInstanceRef> {
    let spec = Value::Object(resource.spec.clone());
    if let Some(found) = find_link(&spec, 0) {
        return Some(found);
    }
    if !resource.vendor.trim().eq_ignore_ascii_case("k0rdent") {
        return None;
    }
    let region =
        spec_text(resource, &["region", "k0rdent_region"]).unwrap_or(resource.vendor_region.trim());
    let project = spec_text(resource, &["project", "project_id", "k0rdent_project"])?;
    let id = spec_text(resource, &["instance_id", "k0rdent_instance_id"])?;
    (plain_segment(region) && plain_segment(project) && validate_instance_id(id).is_ok()).then(
        || K0rdentInstanceRef {
            region: region.to_owned(),
            project: project.to_owned(),
            instance_id: id.to_owned(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource(vendor: &str, region: &str, spec: Value) -> ResourceSummary {
        serde_json::from_value(json!({
            "resource_id": "5abea17d-8c96-4fd1-8b7c-ad6edfe28a56",
            "resource_type": "vm",
            "vendor": vendor,
            "vendor_region": region,
            "status": "running",
            "created_at": "2026-01-01T00:00:00Z",
            "spec": spec,
        }))
        .unwrap()
    }

    fn texas(id: &str) -> K0rdentInstanceRef {
        K0rdentInstanceRef {
            region: "us-texas-1".into(),
            project: "project-x9y8z7".into(),
            instance_id: id.into(),
        }
    }

    #[test]
    fn self_links_parse_with_or_without_a_host() {
        let path =
            "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/instances/instance-d4e5f6";
        assert_eq!(parse_self_link(path), Some(texas("instance-d4e5f6")));
        assert_eq!(
            parse_self_link(&format!("https://k0rdent.example.com{path}?view=full")),
            Some(texas("instance-d4e5f6"))
        );
        assert_eq!(
            parse_self_link(&format!("{path}/")),
            Some(texas("instance-d4e5f6"))
        );
        for bad in [
            "/v1/regions/us-texas-1/projects/p/compute/instances/Bad_Id",
            "/v1/regions/us-texas-1/projects/p/compute/disks/disk-1",
            "/v1/regions//projects/p/compute/instances/i-1",
            "/v1/regions/us-texas-1/zones/us1-a/instance-types/g1-xlarge",
            "instance-d4e5f6",
            "",
        ] {
            assert_eq!(parse_self_link(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn any_vendor_with_a_self_link_in_its_spec_links() {
        let spec = json!({
            "instance_type": "/v1/regions/us-texas-1/zones/us1-a/instance-types/g1-xlarge",
            "k0rdent": {"selfLink": "/v1/regions/us-texas-1/projects/project-x9y8z7/compute/instances/instance-a1b2c3"},
        });
        assert_eq!(
            k0rdent_instance(&resource("acme", "eu-1", spec)),
            Some(texas("instance-a1b2c3"))
        );
    }

    #[test]
    fn a_k0rdent_vendor_links_from_its_spec_fields() {
        let spec = json!({"project": "project-x9y8z7", "instance_id": "instance-g7h8i9"});
        assert_eq!(
            k0rdent_instance(&resource("K0rdent", "us-texas-1", spec)),
            Some(texas("instance-g7h8i9"))
        );
        // Without a project nothing can be linked.
        let spec = json!({"instance_id": "instance-g7h8i9"});
        assert_eq!(
            k0rdent_instance(&resource("k0rdent", "us-texas-1", spec)),
            None
        );
        // Other vendors' instance ids are not k0rdent's.
        let spec = json!({"project": "p", "instance_id": "i-1"});
        assert_eq!(
            k0rdent_instance(&resource("lambda", "us-east-1", spec)),
            None
        );
    }

    #[test]
    fn the_console_path_escapes_its_segments() {
        assert_eq!(
            texas("instance-d4e5f6").console_path(),
            "/k0rdent/regions/us-texas-1/projects/project-x9y8z7/instances/instance-d4e5f6"
        );
    }
}
