namespace SecureDialogue.Client.Outbox;

/// <summary>A sealed item waiting for the server's acknowledgement. A retry sends exactly <see cref="Envelope"/> again.</summary>
/// <param name="ClientMessageId">The header's client message id: the server's idempotency key.</param>
/// <param name="Counter">The own counter sealed into it.</param>
/// <param name="Epoch">The epoch whose key sealed it.</param>
/// <param name="Envelope">The sealed envelope bytes.</param>
internal sealed record OutboxEntry(Guid ClientMessageId, ulong Counter, uint Epoch, byte[] Envelope);
