"""reader_app.ui.workflow: the reading workflow: checklist, Connect (layers to paper, data flow, hyperparameters), Math."""
