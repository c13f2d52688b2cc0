namespace Grantex.Core.Policies;

/// <summary>A field of a partial update: absent (keep), or set — possibly to null (clear).</summary>
public readonly record struct Settable<T>(bool IsSet, T? Value)
    where T : class
{
    public static Settable<T> To(T? value) => new(true, value);

    public T? Or(T? current) => IsSet ? Value : current;
}
