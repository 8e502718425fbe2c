# The configuration behind terraform.tfstate: three certificates for
# example.com, the load balancer listener and the CloudFront distribution
# that serve them, and their DNS validation records in Route 53.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_acm_certificate" "www" {
  domain_name               = "www.example.com"
  subject_alternative_names = ["example.com"]
  validation_method         = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate" "apex" {
  domain_name       = "example.com"
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate" "wild" {
  domain_name               = "*.example.com"
  subject_alternative_names = ["example.com"]
  validation_method         = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

# ACM gives every certificate of the account the same validation record for
# a name, and *.example.com the same one as example.com. So the record of
# example.com is made once, from the apex certificate's options: www, apex
# and wild all validate with it. Only www.example.com needs a record of its
# own.
resource "aws_route53_record" "validation" {
  for_each = {
    for dvo in aws_acm_certificate.apex.domain_validation_options : trimprefix(dvo.domain_name, "*.") => dvo
  }

  allow_overwrite = true
  name            = each.value.resource_record_name
  records         = [each.value.resource_record_value]
  ttl             = 300
  type            = each.value.resource_record_type
  zone_id         = data.aws_route53_zone.main.zone_id
}

resource "aws_route53_record" "validation_www" {
  for_each = {
    for dvo in aws_acm_certificate.www.domain_validation_options : dvo.domain_name => dvo
    if dvo.domain_name == "www.example.com"
  }

  allow_overwrite = true
  name            = each.value.resource_record_name
  records         = [each.value.resource_record_value]
  ttl             = 300
  type            = each.value.resource_record_type
  zone_id         = data.aws_route53_zone.main.zone_id
}

resource "aws_acm_certificate_validation" "www" {
  certificate_arn         = aws_acm_certificate.www.arn
  validation_record_fqdns = [for r in merge(aws_route53_record.validation, aws_route53_record.validation_www) : r.fqdn]
}

resource "aws_lb" "web" {
  name                       = "web-prod"
  load_balancer_type         = "application"
  enable_deletion_protection = true
  security_groups            = ["sg-0a1b2c3d4e5f60718"]
  subnets                    = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.www.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-prod/4c5d6e7f8a9b0c1d"
  }
}

resource "aws_lb_listener_certificate" "wild" {
  listener_arn    = aws_lb_listener.https.arn
  certificate_arn = aws_acm_certificate.wild.arn
}

resource "aws_cloudfront_distribution" "apex" {
  aliases         = ["example.com"]
  comment         = "example.com"
  enabled         = true
  is_ipv6_enabled = true
  price_class     = "PriceClass_100"

  origin {
    domain_name = aws_lb.web.dns_name
    origin_id   = "web-prod"
  }

  default_cache_behavior {
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    compress               = true
    target_origin_id       = "web-prod"
    viewer_protocol_policy = "redirect-to-https"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.apex.arn
    minimum_protocol_version = "TLSv1.2_2021"
    ssl_support_method       = "sni-only"
  }
}
