import BaoxueLog

/// Where a stored change stands (`BaoxueLog.ChangeState`), for the callers of the store.
public typealias ChangeState = BaoxueLog.ChangeState
