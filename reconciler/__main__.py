from reconciler.main import main

raise SystemExit(main())
