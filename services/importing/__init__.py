"""Import from Excel: a template per record kind, a workbook's rows checked with the write APIs'
own request models, then written through those APIs as the user, in the background."""
