using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Identity;

namespace Grantex.Console.Components.Account;

/// <summary>
/// Password sign-in that tells an attacker nothing about accounts: an unknown user name, an account without a password,
/// a wrong password and a locked account all fail alike, and each runs the password hasher once, so they cost about the
/// same (an unknown name is checked against a dummy hash made with the same hasher). A locked account is refused
/// whatever the password, and the person is never told it is locked: answering "locked" only after a right password
/// would let a guesser keep testing passwords during the lockout. The reason is kept for the audit log only.
/// </summary>
public sealed class PasswordSignIn(SignInManager<GrantexUser> signIn, UserManager<GrantexUser> users, IPasswordHasher<GrantexUser> hasher)
{
    /// <summary>The one answer to every failed password sign-in.</summary>
    public const string FailedMessage = "The user name or password is not right. After 5 failed attempts an account is locked for 15 minutes.";

    private static string? s_dummyHash;

    /// <summary>The signed-in user, or null and the reason for the audit log (never for the page).</summary>
    public async Task<(GrantexUser? User, string? Reason)> SignInAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName);
        if (user?.PasswordHash is null)
        {
            SpendOneHash(password);
            return (null, user is null ? "unknown user name" : "account has no password");
        }

        if (await users.IsLockedOutAsync(user))
        {
            SpendOneHash(password);
            return (null, "locked out");
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded ? (user, null)
            : result.IsLockedOut ? (null, "wrong password; now locked out")
            : (null, "wrong password");
    }

    /// <summary>Verifies against a dummy hash of the current format: the work a real check does, with no account behind it.</summary>
    private void SpendOneHash(string password)
    {
        var dummy = new GrantexUser();
        s_dummyHash ??= hasher.HashPassword(dummy, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(dummy, s_dummyHash, password);
    }
}
