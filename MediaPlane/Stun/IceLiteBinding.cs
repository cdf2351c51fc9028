using System.Net;

namespace MediaPlane.Stun;

/// <summary>
/// What an ICE-lite agent (RFC 8445 §2.5, §7.3) does with a Binding request on its single port:
/// read USERNAME, check MESSAGE-INTEGRITY with the session password, answer with a success response
/// carrying XOR-MAPPED-ADDRESS (the request's source), MESSAGE-INTEGRITY and FINGERPRINT. All
/// allocation-free into the caller's buffer.
/// <example><code>
/// if (StunMessageReader.TryParse(datagram, out var request, out _) &amp;&amp; request.IsBindingRequest
///     &amp;&amp; request.TryGetUsername(out var username)
///     &amp;&amp; StunUsername.TrySplit(username, out var localUfrag, out _)
///     &amp;&amp; sessions.TryFind(localUfrag, out var session)
///     &amp;&amp; request.VerifyMessageIntegrity(session.LocalPassword)
///     &amp;&amp; IceLiteBinding.TryWriteSuccessResponse(request, remoteAddress, session.LocalPassword, sendBuffer, out int n))
///     socket.SendTo(sendBuffer[..n], SocketFlags.None, remoteAddress);
/// </code></example>
/// </summary>
public static class IceLiteBinding
{
    /// <summary>Largest response these methods write (IPv6 mapped address): 20 + 24 + 24 + 8.</summary>
    public const int MaxSuccessResponseLength = StunConstants.HeaderLength + 4 + StunXorAddress.IPv6ValueLength + 24 + 8;

    public static bool TryWriteSuccessResponse(in StunMessageReader request, SocketAddress remote, ReadOnlySpan<byte> password, Span<byte> destination, out int written)
    {
        Span<byte> address = stackalloc byte[16];
        if (!StunXorAddress.TryGetAddress(remote, address, out int length, out ushort port))
        {
            written = 0;
            return false;
        }
        return TryWriteSuccessResponse(request, address[..length], port, password, destination, out written);
    }

    public static bool TryWriteSuccessResponse(in StunMessageReader request, IPEndPoint remote, ReadOnlySpan<byte> password, Span<byte> destination, out int written)
    {
        Span<byte> address = stackalloc byte[16];
        if (!StunXorAddress.TryGetAddress(remote, address, out int length, out ushort port))
        {
            written = 0;
            return false;
        }
        return TryWriteSuccessResponse(request, address[..length], port, password, destination, out written);
    }

    /// <summary>Success response for a raw address (4 or 16 bytes) and port.</summary>
    public static bool TryWriteSuccessResponse(in StunMessageReader request, ReadOnlySpan<byte> address, ushort port, ReadOnlySpan<byte> password, Span<byte> destination, out int written)
    {
        written = 0;
        if (!StunMessageWriter.TryCreate(destination, request.Method, StunMessageClass.SuccessResponse, request.TransactionId, out var writer)
            || !writer.TryAddXorMappedAddress(address, port)
            || !writer.TryAddMessageIntegrity(password)
            || !writer.TryAddFingerprint())
            return false;
        written = writer.Length;
        return true;
    }

    /// <summary>
    /// Error response (e.g. 400 Bad Request, 401 Unauthorized, 487 Role Conflict) with FINGERPRINT,
    /// and MESSAGE-INTEGRITY when <paramref name="password"/> is not empty.
    /// </summary>
    public static bool TryWriteErrorResponse(in StunMessageReader request, int code, ReadOnlySpan<byte> reasonUtf8, ReadOnlySpan<byte> password, Span<byte> destination, out int written)
    {
        written = 0;
        if (!StunMessageWriter.TryCreate(destination, request.Method, StunMessageClass.ErrorResponse, request.TransactionId, out var writer)
            || !writer.TryAddErrorCode(code, reasonUtf8)
            || (!password.IsEmpty && !writer.TryAddMessageIntegrity(password))
            || !writer.TryAddFingerprint())
            return false;
        written = writer.Length;
        return true;
    }
}
