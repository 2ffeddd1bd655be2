from reader_app.cli import main

raise SystemExit(main())
