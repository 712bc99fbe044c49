//! Rebuilds the binary when a template changes: `include_dir!` embeds
//! `templates/` at compile time but does not tell cargo to watch it.

fn main() {
    println!("cargo:rerun-if-changed=templates");
}
