using BenchmarkDotNet.Attributes;
using MediaPlane.Stun;

namespace Benchmarks;

/// <summary>What the ICE-lite port does per Binding request: parse, check MESSAGE-INTEGRITY and FINGERPRINT, answer.</summary>
[MemoryDiagnoser]
public class StunParseAndVerifyBenchmark
{
    private readonly byte[] _password = "VOkJxbRl1RmTxUk/WvJxBt"u8.ToArray();
    private readonly byte[] _response = new byte[IceLiteBinding.MaxSuccessResponseLength];
    private readonly System.Net.SocketAddress _remote = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 32853).Serialize();
    private byte[] _request = [];

    [GlobalSetup]
    public void Setup()
    {
        var buffer = new byte[256];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, TransactionId.NewRandom(), out var writer);
        writer.TryAddUsername("localUfrag:remoteUfrag"u8);
        writer.TryAddIceControlling(0x1122334455667788);
        writer.TryAddUseCandidate();
        writer.TryAddPriority(1853824767);
        writer.TryAddMessageIntegrity(_password);
        writer.TryAddFingerprint();
        _request = writer.Written.ToArray();
    }

    [Benchmark]
    public bool ParseAndVerify()
    {
        return StunMessageReader.TryParse(_request, out var reader, out _)
               && reader.TryGetUsername(out _)
               && reader.VerifyMessageIntegrity(_password)
               && reader.VerifyFingerprint();
    }

    [Benchmark]
    public int ParseVerifyAndRespond()
    {
        if (!StunMessageReader.TryParse(_request, out var reader, out _) || !reader.VerifyMessageIntegrity(_password) || !reader.VerifyFingerprint())
            return -1;
        IceLiteBinding.TryWriteSuccessResponse(reader, _remote, _password, _response, out int written);
        return written;
    }
}
