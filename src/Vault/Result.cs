using System.Diagnostics.CodeAnalysis;

namespace SecureDialogue.Vault;

/// <summary>
/// The outcome of an operation whose failures are expected inputs (tampered ciphertext, a wrong passphrase):
/// a value or a typed error, never an exception.
/// </summary>
/// <typeparam name="TValue">The value on success.</typeparam>
/// <typeparam name="TError">The error type, usually an enum.</typeparam>
public readonly struct Result<TValue, TError>
    where TError : struct
{
    private readonly TValue? _value;
    private readonly TError _error;

    private Result(TValue? value, TError error, bool ok)
    {
        _value = value;
        _error = error;
        IsSuccess = ok;
    }

    /// <summary>True when <see cref="Value"/> holds the result.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess { get; }

    /// <summary>The value; throws when the operation failed.</summary>
    public TValue? Value => IsSuccess ? _value : throw new InvalidOperationException($"The operation failed with {_error}.");

    /// <summary>The error; <c>default</c> on success.</summary>
    public TError Error => _error;

    /// <summary>A successful result.</summary>
    public static Result<TValue, TError> Ok(TValue value) => new(value, default, true);

    /// <summary>A failed result.</summary>
    public static Result<TValue, TError> Fail(TError error) => new(default, error, false);

    /// <summary>Implicit success.</summary>
    public static implicit operator Result<TValue, TError>(TValue value) => Ok(value);

    /// <summary>Implicit failure.</summary>
    public static implicit operator Result<TValue, TError>(TError error) => Fail(error);

    /// <summary>Returns the value when successful.</summary>
    public bool TryGetValue([NotNullWhen(true)] out TValue? value, out TError error)
    {
        value = _value;
        error = _error;
        return IsSuccess;
    }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Ok({typeof(TValue).Name})" : $"Fail({_error})";
}
