//! Nanxi's HTTP service: `jiuye-fupin-server`'s command line over Nanxi's rules (C1 too):
//! `nanxi-server --policy nanxi-2020.toml [--listen ADDR] ...`.

fn main() -> std::process::ExitCode {
    match nanxi_county::rules() {
        Ok(rules) => jiuye_fupin_server::main_with(&rules),
        Err(e) => {
            eprintln!("nanxi-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
