from omni_scale.cli.main import main

raise SystemExit(main())
