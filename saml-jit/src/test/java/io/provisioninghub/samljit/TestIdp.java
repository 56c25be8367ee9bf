package io.provisioninghub.samljit;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A test identity provider: an RSA key with a self-signed certificate, and SAML responses built and
 * signed here (xmlsec's XMLSignature: enveloped, exclusive C14N, RSA-SHA256), shaped like Entra
 * ID's.
 */
public final class TestIdp {

  public static final String ENTITY_ID =
      "https://sts.windows.net/7f3c2c1e-0000-4000-8000-000000000001/";

  static {
    org.apache.xml.security.Init.init();
  }

  final KeyPair keys;
  final X509Certificate certificate;

  private TestIdp(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  public static TestIdp generate(String name) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + name);
      Instant now = Instant.now();
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  new JcaX509v3CertificateBuilder(
                          subject,
                          BigInteger.valueOf(now.toEpochMilli()),
                          Date.from(now.minus(Duration.ofDays(1))),
                          Date.from(now.plus(Duration.ofDays(365))),
                          subject,
                          keys.getPublic())
                      .build(
                          new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
      return new TestIdp(keys, cert);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String pem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claim namespaces of Entra ID's default SAML claims. */
  public static final String ENTRA_CLAIMS =
      "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

  public static final String MS_CLAIMS = "http://schemas.microsoft.com/identity/claims/";

  /** What one response says; every field may be changed by a test before it is built. */
  public static final class Response {
    public String issuer = ENTITY_ID;
    public String destination;
    public String recipient;
    public String audience;
    public String inResponseTo;
    public String nameId;
    public String assertionId = "_" + UUID.randomUUID();
    public Instant notBefore = Instant.now().minusSeconds(60);
    public Instant notOnOrAfter = Instant.now().plus(Duration.ofMinutes(5));
    final Map<String, List<String>> attributes = new LinkedHashMap<>();

    public Response attribute(String name, String... values) {
      attributes.put(name, List.of(values));
      return this;
    }

    /**
     * A response to the service provider of {@code tenant} under {@code spBase} (its public base
     * URL), for one user with Entra ID's default claims (given name Adele).
     */
    public static Response entra(
        String spBase,
        String tenant,
        String userName,
        String objectId,
        String surname,
        String mail) {
      Response r = new Response();
      String base = spBase + "/saml/" + tenant;
      r.destination = base + "/acs";
      r.recipient = base + "/acs";
      r.audience = base + "/metadata";
      r.nameId = userName;
      return r.attribute(ENTRA_CLAIMS + "name", userName)
          .attribute(ENTRA_CLAIMS + "givenname", "Adele")
          .attribute(ENTRA_CLAIMS + "surname", surname)
          .attribute(ENTRA_CLAIMS + "emailaddress", mail)
          .attribute(MS_CLAIMS + "displayname", "Adele " + surname)
          .attribute(MS_CLAIMS + "objectidentifier", objectId);
    }

    String xml() {
      String now = Instant.now().toString();
      String irt = inResponseTo == null ? "" : " InResponseTo=\"" + inResponseTo + "\"";
      StringBuilder attrs = new StringBuilder();
      attributes.forEach(
          (name, values) -> {
            attrs.append("<saml:Attribute Name=\"").append(esc(name)).append("\">");
            values.forEach(
                v ->
                    attrs
                        .append("<saml:AttributeValue>")
                        .append(esc(v))
                        .append("</saml:AttributeValue>"));
            attrs.append("</saml:Attribute>");
          });
      return "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
          + " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_"
          + UUID.randomUUID()
          + "\" Version=\"2.0\" IssueInstant=\""
          + now
          + "\" Destination=\""
          + destination
          + "\""
          + irt
          + "><saml:Issuer>"
          + issuer
          + "</saml:Issuer><samlp:Status><samlp:StatusCode"
          + " Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>"
          + "<saml:Assertion ID=\""
          + assertionId
          + "\" Version=\"2.0\" IssueInstant=\""
          + now
          + "\"><saml:Issuer>"
          + issuer
          + "</saml:Issuer><saml:Subject><saml:NameID"
          + " Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">"
          + esc(nameId)
          + "</saml:NameID><saml:SubjectConfirmation"
          + " Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><saml:SubjectConfirmationData"
          + irt
          + " NotOnOrAfter=\""
          + notOnOrAfter
          + "\" Recipient=\""
          + recipient
          + "\"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore=\""
          + notBefore
          + "\" NotOnOrAfter=\""
          + notOnOrAfter
          + "\"><saml:AudienceRestriction><saml:Audience>"
          + audience
          + "</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
          + "<saml:AuthnStatement AuthnInstant=\""
          + now
          + "\" SessionIndex=\""
          + assertionId
          + "\"><saml:AuthnContext><saml:AuthnContextClassRef>"
          + "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
          + "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
          + "<saml:AttributeStatement>"
          + attrs
          + "</saml:AttributeStatement></saml:Assertion></samlp:Response>";
    }
  }

  /** The response with its assertion signed by this IdP, as a DOM to tamper with. */
  Document signedDocument(Response r) {
    try {
      Document doc = parse(r.xml());
      Element assertion =
          (Element)
              doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion")
                  .item(0);
      assertion.setIdAttributeNS(null, "ID", true);
      XMLSignature signature =
          new XMLSignature(
              doc,
              "",
              XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
              Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
      Node issuer = assertion.getFirstChild();
      assertion.insertBefore(signature.getElement(), issuer.getNextSibling());
      Transforms transforms = new Transforms(doc);
      transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
      transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
      signature.addDocument(
          "#" + r.assertionId, transforms, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);
      signature.addKeyInfo(certificate);
      signature.sign(keys.getPrivate());
      return doc;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SAMLResponse form value of a response whose assertion this IdP signed. */
  public String signed(Response r) {
    return encode(serialise(signedDocument(r)));
  }

  static String unsigned(Response r) {
    return encode(r.xml());
  }

  static String encode(String xml) {
    return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  static String serialise(Document doc) {
    try {
      StringWriter out = new StringWriter();
      var t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
