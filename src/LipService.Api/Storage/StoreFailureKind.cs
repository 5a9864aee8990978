namespace LipService.Api.Storage;

/// <summary>Why the store refused a read or write that a user or operator can do something about.</summary>
public enum StoreFailureKind
{
    /// <summary>The disk (or PostgreSQL's) is full: free space, nothing is wrong with the request.</summary>
    DiskFull,

    /// <summary>The database cannot be reached, opened, written or read: the operator must look at it.</summary>
    Unavailable,

    /// <summary>The file is not a database, or a damaged one.</summary>
    Damaged,
}
