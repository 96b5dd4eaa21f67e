"""``putright import complaints``: a landlord's complaints from the system it used before (issue 14).

mapping (what each column is) -> rows (each row checked, or rejected with the reason) ->
history (the rows putright would have made, dated as they happened) -> run (batches,
resuming, the rejected rows' file) -> command (what the operator types and reads).
"""
