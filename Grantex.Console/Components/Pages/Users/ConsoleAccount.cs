namespace Grantex.Console.Components.Pages.Users;

/// <summary>A console account as the Users screen lists it.</summary>
public sealed record ConsoleAccount(
    string Id,
    string UserName,
    string? DisplayName,
    string? Role,
    int Passkeys,
    bool HasPassword,
    IReadOnlyList<string> ExternalLogins,
    DateTimeOffset? LockedOutUntil,
    DateTime CreatedAt);
