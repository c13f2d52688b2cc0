namespace Grantex.Core.Persistence;

/// <summary>The storage refused a write (disk full, I/O error): nothing of the command was kept.</summary>
public sealed class WriteFailedException(string message, Exception inner) : Exception(message, inner);
