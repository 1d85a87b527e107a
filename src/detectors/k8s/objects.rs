//! Finding Kubernetes objects in a YAML tree and the pod specs inside them.
//!
//! An object is a mapping with string `apiVersion` and `kind`. `kind: List`
//! (and `*List` kinds such as `PodList`) contribute their `items`. Pod specs
//! sit at a kind-specific path: `spec` for a Pod, `spec.template.spec` for
//! workloads, `spec.jobTemplate.spec.template.spec` for a CronJob and
//! `template.spec` for a PodTemplate. This module only locates things; the
//! checks live in [`super::pss`] and [`super::hygiene`].

use super::yaml::{NodeId, Tree};

/// One Kubernetes object.
#[derive(Debug, Clone)]
pub struct Object {
    pub node: NodeId,
    pub kind: String,
    /// `Kind/namespace/name`. A manifest without `metadata.namespace` is
    /// shown in `default`, where `kubectl apply` without `-n` puts it on a
    /// default context; without a name, `generateName` + `*` or `-`.
    pub display: String,
}

/// A pod spec inside an object.
#[derive(Debug, Clone)]
pub struct PodCtx {
    /// The `spec` mapping of the pod (or pod template).
    pub spec: NodeId,
    /// Node whose line stands for the pod spec (its key, e.g. `spec:`).
    pub spec_key: NodeId,
    /// Dotted path of `spec` from the object root, e.g. `spec.template.spec`.
    pub path: String,
    /// Path of the pod metadata (`metadata`, `spec.template.metadata`).
    pub meta_path: String,
    /// The pod's metadata mapping (object metadata for a Pod, the
    /// template's for a workload), if any.
    pub meta: Option<NodeId>,
}

/// A container of a pod spec.
#[derive(Debug, Clone)]
pub struct Container {
    pub map: NodeId,
    /// `spec.containers[0]` etc., from the object root.
    pub path: String,
    pub name: Option<String>,
    /// The `name:` key (or the container mapping) for missing-field findings.
    pub anchor: NodeId,
}

/// Every object of every document, `List` items expanded (one level of
/// nesting, as `kubectl` does).
pub fn objects(tree: &Tree) -> Vec<Object> {
    let mut out = Vec::new();
    for &doc in &tree.docs {
        collect(tree, doc, &mut out, 0);
    }
    out
}

fn collect(tree: &Tree, node: NodeId, out: &mut Vec<Object>, depth: usize) {
    if !tree.is_map(node) {
        return;
    }
    let (Some(_), Some(kind)) = (
        tree.str_at(node, &["apiVersion"]),
        tree.str_at(node, &["kind"]),
    ) else {
        return;
    };
    if kind == "List" || (kind.ends_with("List") && tree.get(node, "items").is_some()) {
        if depth < 2
            && let Some(items) = tree.get(node, "items")
        {
            for &item in tree.items(items) {
                collect(tree, item, out, depth + 1);
            }
        }
        return;
    }
    let namespace = tree
        .str_at(node, &["metadata", "namespace"])
        .filter(|s| !s.is_empty())
        .unwrap_or("default");
    let name = match tree.str_at(node, &["metadata", "name"]) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => match tree.str_at(node, &["metadata", "generateName"]) {
            Some(g) => format!("{g}*"),
            None => "-".to_string(),
        },
    };
    out.push(Object {
        node,
        kind: kind.to_string(),
        display: format!("{kind}/{namespace}/{name}"),
    });
}

/// The pod spec of `obj`, if its kind has one and it is present.
pub fn pod_spec(tree: &Tree, obj: &Object) -> Option<PodCtx> {
    let (spec_path, meta_path): (&[&str], &[&str]) = match obj.kind.as_str() {
        "Pod" => (&["spec"], &["metadata"]),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => (
            &["spec", "template", "spec"],
            &["spec", "template", "metadata"],
        ),
        "CronJob" => (
            &["spec", "jobTemplate", "spec", "template", "spec"],
            &["spec", "jobTemplate", "spec", "template", "metadata"],
        ),
        "PodTemplate" => (&["template", "spec"], &["template", "metadata"]),
        _ => return None,
    };
    let (parent, last) = spec_path.split_at(spec_path.len() - 1);
    let parent_node = tree.get_path(obj.node, parent)?;
    let (spec_key, spec) = tree.entry(parent_node, last[0])?;
    if !tree.is_map(spec) {
        return None;
    }
    Some(PodCtx {
        spec,
        spec_key,
        path: spec_path.join("."),
        meta_path: meta_path.join("."),
        meta: tree.get_path(obj.node, meta_path),
    })
}

/// The three container lists Kubernetes checks, in that order.
pub const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// All containers of a pod spec: containers, initContainers, ephemeralContainers.
pub fn containers(tree: &Tree, pod: &PodCtx) -> Vec<Container> {
    let mut out = Vec::new();
    for list in CONTAINER_LISTS {
        let Some(seq) = tree.get(pod.spec, list) else {
            continue;
        };
        for (i, &c) in tree.items(seq).iter().enumerate() {
            if !tree.is_map(c) {
                continue;
            }
            let (name, anchor) = match tree.entry(c, "name") {
                Some((k, v)) => (tree.str(v).map(str::to_string), k),
                None => (None, c),
            };
            out.push(Container {
                map: c,
                path: format!("{}.{list}[{i}]", pod.path),
                name,
                anchor,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::k8s::yaml::{Limits, parse};

    #[test]
    fn finds_pod_specs_in_every_workload_kind() {
        let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: CronJob
  metadata: {name: c, namespace: ops}
  spec:
    jobTemplate:
      spec:
        template:
          spec:
            containers: [{name: a, image: x}]
- apiVersion: v1
  kind: PodTemplate
  metadata: {name: t}
  template:
    spec:
      initContainers: [{name: i, image: x}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
---
not: kubernetes
";
        let t = parse(text, Limits::default()).unwrap();
        let objs = objects(&t);
        let shown: Vec<&str> = objs.iter().map(|o| o.display.as_str()).collect();
        assert_eq!(
            shown,
            [
                "CronJob/ops/c",
                "PodTemplate/default/t",
                "ConfigMap/default/cm"
            ]
        );
        let pod = pod_spec(&t, &objs[0]).unwrap();
        assert_eq!(pod.path, "spec.jobTemplate.spec.template.spec");
        let cs = containers(&t, &pod);
        assert_eq!(
            cs[0].path,
            "spec.jobTemplate.spec.template.spec.containers[0]"
        );
        assert_eq!(cs[0].name.as_deref(), Some("a"));
        let pod = pod_spec(&t, &objs[1]).unwrap();
        assert_eq!(
            containers(&t, &pod)[0].path,
            "template.spec.initContainers[0]"
        );
        assert!(pod_spec(&t, &objs[2]).is_none());
    }
}
