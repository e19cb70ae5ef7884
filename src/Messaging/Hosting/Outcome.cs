using System.Diagnostics.CodeAnalysis;

namespace SecureDialogue.Messaging.Hosting;

/// <summary>The result of a command or query: a value or an <see cref="ApiError"/>, never an exception for bad input.</summary>
/// <typeparam name="T">The value on success.</typeparam>
internal readonly struct Outcome<T>
{
    private Outcome(T? value, ApiError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value, when <see cref="Error"/> is null.</summary>
    public T? Value { get; }

    /// <summary>Why it failed, or null.</summary>
    public ApiError? Error { get; }

    /// <summary>True with the value, false with the error.</summary>
    public bool TryGet([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ApiError? error)
    {
        value = Value;
        error = Error;
        return error is null && value is not null;
    }

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ApiError error) => new(default, error);
}
