namespace Grantex.Core.Compliance;

/// <summary>How a chain compares with one checkpoint.</summary>
public enum CheckpointOutcome
{
    /// <summary>The entry at the checkpoint's position is there, with the signed id and hash.</summary>
    Consistent,

    /// <summary>The chain ends before the checkpoint's position: entries were cut from the end.</summary>
    Truncated,

    /// <summary>The checkpoint's position is inside the chain's range but absent (an entry was removed).</summary>
    Missing,

    /// <summary>The entry at the checkpoint's position has another hash or id: the chain was rewritten.</summary>
    Rewritten,

    /// <summary>The checkpoint's signature does not verify (forged or altered), or uses a refused algorithm.</summary>
    SignatureInvalid,

    /// <summary>The checkpoint is for another developer's chain.</summary>
    WrongDeveloper,

    /// <summary>Not a readable checkpoint.</summary>
    Malformed,

    /// <summary>Signed with a key the verifier does not have (a retired key?): not checked.</summary>
    UnknownKey,

    /// <summary>Its head lies before the window that was verified: not checkable here.</summary>
    BeforeWindow,

    /// <summary>Its head lies after the window that was verified: not checkable here.</summary>
    AfterWindow,
}
