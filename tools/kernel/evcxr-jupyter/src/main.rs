//! evcxr_jupyter's own `main`: this package only swaps the evcxr it is built with.

fn main() -> anyhow::Result<()> {
    evcxr_jupyter::main()
}
