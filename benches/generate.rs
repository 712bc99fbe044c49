//! In-process benchmarks of the generators and of writing their output.
//!
//! Run with `cargo bench --bench generate` (add `-- <filter>` to pick one).
//! Whole-process figures (startup, argument parsing, real disk) are in
//! `bench/generator.sh`; see `bench/README.md`.
//!
//! - `workspace`: `fastgen new` staged in memory (templates rendered, nothing written).
//! - `fast_api`: `fastgen g py#fast-api MyApi` staged in memory, over a workspace
//!   that is on disk (so it reads `pyproject.toml`, `package.json`, `nx.json`).
//! - `commit`: writing a staged workspace + API to an empty directory.
//! - `new_and_api`: both generators and their commits, as the CLI runs them.

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use fastgen::generators::fast_api::{self, Auth, ComputeType, FastApiOptions, IacProvider};
use fastgen::generators::workspace::{self, PackageManager, WorkspaceOptions};
use fastgen::tree::Tree;
use tempfile::TempDir;

fn workspace_options() -> WorkspaceOptions {
    WorkspaceOptions::for_directory("demo", PackageManager::Pnpm, IacProvider::Cdk)
}

fn api_options() -> FastApiOptions {
    FastApiOptions {
        name: "MyApi".into(),
        compute_type: ComputeType::Rest,
        auth: Auth::Iam,
        directory: "packages".into(),
        sub_directory: None,
        iac: IacProvider::Cdk,
        module_name: None,
    }
}

/// A tree over `root` with a new workspace and one API staged in it.
fn staged(root: &Path) -> Tree {
    let mut tree = Tree::new(root);
    workspace::generate(&mut tree, &workspace_options()).unwrap();
    fast_api::generate(&mut tree, &api_options()).unwrap();
    tree
}

fn generators(c: &mut Criterion) {
    let empty = TempDir::new().unwrap();
    c.bench_function("workspace", |b| {
        b.iter(|| {
            let mut tree = Tree::new(empty.path());
            black_box(workspace::generate(&mut tree, &workspace_options()).unwrap());
            tree
        })
    });

    let ws = TempDir::new().unwrap();
    let mut tree = Tree::new(ws.path());
    workspace::generate(&mut tree, &workspace_options()).unwrap();
    tree.commit().unwrap();
    c.bench_function("fast_api", |b| {
        b.iter(|| {
            let mut tree = Tree::new(ws.path());
            black_box(fast_api::generate(&mut tree, &api_options()).unwrap());
            tree
        })
    });
}

fn commit(c: &mut Criterion) {
    // Each iteration writes into a fresh directory; creating and removing it is not timed
    // (criterion drops the routine's output outside the measurement).
    c.bench_function("commit", |b| {
        b.iter_batched(
            || {
                let dir = TempDir::new().unwrap();
                let tree = staged(dir.path());
                (dir, tree)
            },
            |(dir, tree)| {
                black_box(tree.commit().unwrap());
                dir
            },
            BatchSize::PerIteration,
        )
    });

    c.bench_function("new_and_api", |b| {
        b.iter_batched(
            || TempDir::new().unwrap(),
            |dir| {
                // Like `fastgen new` then `fastgen g py#fast-api`: two trees, two commits.
                let mut tree = Tree::new(dir.path());
                workspace::generate(&mut tree, &workspace_options()).unwrap();
                black_box(tree.commit().unwrap());
                let mut tree = Tree::new(dir.path());
                fast_api::generate(&mut tree, &api_options()).unwrap();
                black_box(tree.commit().unwrap());
                dir
            },
            BatchSize::PerIteration,
        )
    });
}

criterion_group!(benches, generators, commit);
criterion_main!(benches);
