using System.Diagnostics.CodeAnalysis;

namespace Grantex.Core.OAuth;

/// <summary>The outcome of an OAuth operation: a value, or an <see cref="OAuthError"/> in the OAuth error format.</summary>
public readonly struct OAuthResult<T>
{
    private OAuthResult(T? value, OAuthError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public OAuthError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static implicit operator OAuthResult<T>(T value) => new(value, null);

    public static implicit operator OAuthResult<T>(OAuthError error) => new(default, error);
}
