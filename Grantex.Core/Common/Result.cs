using System.Diagnostics.CodeAnalysis;

namespace Grantex.Core.Common;

/// <summary>The outcome of a service operation: a value, or a <see cref="GxError"/>.</summary>
public readonly struct Result<T>
{
    private Result(T? value, GxError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public GxError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(GxError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);

    public static implicit operator Result<T>(GxError error) => Fail(error);
}
